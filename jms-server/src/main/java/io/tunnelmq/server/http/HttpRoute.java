package io.tunnelmq.server.http;

/**
 * Answers GET (and HEAD) requests for one path. Runs on the HTTP server's own thread, never on a client connection's
 * event loop, so a route may take a few milliseconds (a scrape of thousands of queues) without delaying messages.
 */
@FunctionalInterface
public interface HttpRoute {
    HttpReply answer(HttpCall call);
}
