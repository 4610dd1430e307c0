package io.tunnelmq.server.console;

import io.tunnelmq.server.http.HttpReply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's page, scripts and style sheet, read from the broker's jar once at start: a few kilobytes, served by
 * the broker itself (no CDN, no build step).
 */
final class StaticFiles {
    private static final String BASE = "/io/tunnelmq/server/console/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "charts.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final Map<String, HttpReply> files;

    StaticFiles() {
        files = Map.of(
                "index.html", load("index.html"),
                "console.js", load("console.js"),
                "charts.js", load("charts.js"),
                "console.css", load("console.css"));
    }

    /** A file by name ({@code console.js}), or null. */
    HttpReply file(String name) {
        return files.get(name);
    }

    private static HttpReply load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the broker's jar");
            }
            return ConsoleReplies.guarded(HttpReply.ok(TYPES.get(name), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's " + name, e);
        }
    }
}
