package io.tunnelmq.server.http;

import java.util.concurrent.Executor;

/**
 * Answers the requests for one path (GET and HEAD), or for a tree of paths (GET, HEAD and POST; see
 * {@link HttpRoutes#addTree}). Runs on the HTTP server's own thread, never on a client connection's
 * event loop, so a route may take a few milliseconds (a scrape of thousands of queues) without delaying messages.
 */
@FunctionalInterface
public interface HttpRoute {
    /** The answer; a route that throws gets a 500 (logged), and the server stays up. */
    HttpReply answer(HttpCall call);

    /**
     * Where the route answers: null on the HTTP port's event loop (a route that answers in a few milliseconds), or an
     * executor of its own for one that may take longer (the console's login checks a deliberately slow password hash),
     * so that the port's other routes (the metrics) and connections are answered meanwhile. A connection's requests
     * are answered in order either way.
     */
    default Executor executor() {
        return null;
    }
}
