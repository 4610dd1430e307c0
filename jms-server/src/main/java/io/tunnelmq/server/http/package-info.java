/**
 * The broker's HTTP port: a small Netty HTTP server ({@link io.tunnelmq.server.http.HttpServer}) that answers
 * requests from {@link io.tunnelmq.server.http.HttpRoutes} — Prometheus {@code /metrics} (GET) and the web console
 * (a tree of paths that takes POST for its actions). It knows nothing of queues: the management and console packages
 * give it routes.
 */
package io.tunnelmq.server.http;
