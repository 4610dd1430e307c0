package io.tunnelmq.server.http;

/**
 * Answers the requests for one path (GET and HEAD), or for a tree of paths (GET, HEAD and POST; see
 * {@link HttpRoutes#addTree}). Runs on the HTTP server's own thread, never on a client connection's
 * event loop, so a route may take a few milliseconds (a scrape of thousands of queues) without delaying messages.
 */
@FunctionalInterface
public interface HttpRoute {
    /** The answer; a route that throws gets a 500 (logged), and the server stays up. */
    HttpReply answer(HttpCall call);
}
