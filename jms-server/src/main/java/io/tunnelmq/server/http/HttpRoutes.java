package io.tunnelmq.server.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the broker's HTTP port serves, by exact path: {@code /metrics} now, the web console later. Routes may be added
 * while the server runs (the port opens before the broker has recovered its store; {@code /metrics} follows as soon as
 * there is something to measure). Thread-safe.
 */
public final class HttpRoutes {
    private final Map<String, HttpRoute> routes = new ConcurrentSkipListMap<>();

    /**
     * Serves {@code path} (starting with {@code /}) with {@code route}.
     *
     * @throws IllegalArgumentException if the path is taken or does not start with {@code /}
     */
    public HttpRoutes add(String path, HttpRoute route) {
        Objects.requireNonNull(route, "route");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/', was " + path);
        }
        if (routes.putIfAbsent(path, route) != null) {
            throw new IllegalArgumentException("path " + path + " is served already");
        }
        return this;
    }

    /** The route of a path, or null. */
    HttpRoute find(String path) {
        return routes.get(path);
    }

    /** The paths served, for the 404 answer. */
    String paths() {
        return String.join(", ", routes.keySet());
    }
}
