/**
 * Who may connect, what they may do, and how much a peer may cost the broker before it has logged in.
 * Authentication: the users file ({@link io.tunnelmq.server.security.PasswordFile}, PBKDF2 hashes written by
 * {@link io.tunnelmq.server.security.PasswdCommand}, read again when it changes:
 * {@link io.tunnelmq.server.security.UsersFileWatch}); connection limits in total and per source address
 * ({@link io.tunnelmq.server.security.ConnectionLimits}); the failed-login back-off per user and source address, and
 * per address when it fails as several users ({@link io.tunnelmq.server.security.LoginBackoff}); their settings
 * ({@link io.tunnelmq.server.security.PeerLimits}).
 * Authorization: roles and per-destination permissions from a permissions file, read again when it changes
 * ({@link io.tunnelmq.server.security.AccessControl}); the {@code net} layer hands each connection its user's
 * {@link io.tunnelmq.server.security.UserAccess}, which the connection's {@code session} layer asks before every send,
 * consumer, browse and temporary destination. Nothing here blocks an event loop: password checks are run on the
 * broker's login threads, delays are computed here but scheduled by {@code net}, and the files an operator edits while
 * the broker runs (users, permissions, and {@code net}'s TLS stores) are read again by
 * {@link io.tunnelmq.server.security.FileWatch} on threads of their own.
 */
package io.tunnelmq.server.security;
