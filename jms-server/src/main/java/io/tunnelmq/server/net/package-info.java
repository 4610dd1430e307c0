/**
 * The network layer: the Netty server ({@link io.tunnelmq.server.net.TunnelServer}), each connection's pipeline
 * (handshake deadline, codec, idle detection, flush consolidation, optional frame trace), the handshake and channel
 * 0 — with what a peer may cost before login held short (connection limits, 8 KiB frames, an absolute deadline,
 * credentials checked on login threads, failed logins answered late, complaints logged once per address per
 * interval) — and the rule that a connection-level failure is answered with {@code ErrorFrame(0, 0, code, message)} before the
 * socket closes. The TLS port's context is made again when its files change ({@code TlsReloader}).
 * Session-channel frames go to {@code session.ClientConnection}.
 */
package io.tunnelmq.server.net;
