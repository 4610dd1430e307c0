package io.tunnelmq.server.http;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the broker's HTTP port serves: exact paths ({@code /metrics}), answering GET and HEAD, and trees (the web
 * console under {@code /console/}), answering GET, HEAD and POST for every path under their prefix. An exact path
 * wins over a tree, and a longer tree over a shorter one. Routes may be added while the server runs (the port opens
 * before the broker has recovered its store; {@code /metrics} follows as soon as there is something to measure).
 * Thread-safe.
 */
public final class HttpRoutes {
    private final Map<String, HttpRoute> routes = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, HttpRoute> trees = new ConcurrentSkipListMap<>();

    /**
     * Serves {@code path} (starting with {@code /}) with {@code route}, for GET and HEAD.
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

    /**
     * Serves every path that starts with {@code prefix} (which starts and ends with {@code /}) with {@code route}, for
     * GET, HEAD and POST; the route answers 404 and 405 itself.
     *
     * @throws IllegalArgumentException if the prefix is taken or is not {@code /...}/
     */
    public HttpRoutes addTree(String prefix, HttpRoute route) {
        Objects.requireNonNull(route, "route");
        if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a tree's prefix starts and ends with '/', was " + prefix);
        }
        if (trees.putIfAbsent(prefix, route) != null) {
            throw new IllegalArgumentException("paths under " + prefix + " are served already");
        }
        return this;
    }

    /** The route of a path, or null. */
    HttpRoute find(String path) {
        HttpRoute exact = routes.get(path);
        return exact != null ? exact : tree(path);
    }

    /** Whether {@code path} is served by a tree, which takes POST too. */
    boolean takesPost(String path) {
        return !routes.containsKey(path) && tree(path) != null;
    }

    private HttpRoute tree(String path) {
        // the longest prefix first: floorEntry walks down from the path itself
        for (Map.Entry<String, HttpRoute> e = trees.floorEntry(path); e != null; e = trees.lowerEntry(e.getKey())) {
            if (path.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The paths served, for the 404 answer. */
    String paths() {
        StringBuilder all = new StringBuilder(String.join(", ", routes.keySet()));
        trees.keySet().forEach(prefix -> all.append(all.isEmpty() ? "" : ", ").append(prefix).append("..."));
        return all.toString();
    }
}
