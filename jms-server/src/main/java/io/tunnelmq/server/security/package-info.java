/**
 * Who may connect, and how much a peer may cost the broker before it has logged in. Authentication: the users file
 * ({@link io.tunnelmq.server.security.PasswordFile}, PBKDF2 hashes written by
 * {@link io.tunnelmq.server.security.PasswdCommand}); connection limits in total and per source address
 * ({@link io.tunnelmq.server.security.ConnectionLimits}); the failed-login back-off per source address
 * ({@link io.tunnelmq.server.security.LoginBackoff}); their settings ({@link io.tunnelmq.server.security.PeerLimits}).
 * The {@code net} layer asks these; nothing else does. Nothing here blocks an event loop: password checks are run on
 * the broker's login threads and delays are computed here but scheduled by {@code net}.
 */
package io.tunnelmq.server.security;
