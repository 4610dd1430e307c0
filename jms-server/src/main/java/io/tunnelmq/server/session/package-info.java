/**
 * Per connection and per session state, confined to the connection's event loop: open sessions by channel,
 * consumers, the locks a session holds, transaction staging, and the receive window that feeds the client's
 * send window. Every request gets exactly one answer: {@code Ok} with the free receive-buffer bytes, or an
 * {@code ErrorFrame}; a send without a request id only a refusal ({@code SendFailed}), its window being reported by
 * {@code WindowUpdate}.
 */
package io.tunnelmq.server.session;
