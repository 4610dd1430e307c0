/**
 * Per connection and per session state, confined to the connection's event loop: open sessions by channel,
 * consumers, the locks a session holds, transaction staging, and the receive window that feeds the client's
 * send window. Every request gets exactly one answer: {@code Ok} with the free receive-buffer bytes, or an
 * {@code ErrorFrame}.
 */
package io.tunnelmq.server.session;
