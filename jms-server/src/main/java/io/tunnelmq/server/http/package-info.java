/**
 * The broker's HTTP port: a small Netty HTTP server ({@link io.tunnelmq.server.http.HttpServer}) that answers GET
 * requests from {@link io.tunnelmq.server.http.HttpRoutes} — Prometheus {@code /metrics} today, the web console
 * later. It knows nothing of queues: the management package gives it routes.
 */
package io.tunnelmq.server.http;
