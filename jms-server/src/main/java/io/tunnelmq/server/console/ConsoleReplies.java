package io.tunnelmq.server.console;

import io.tunnelmq.server.http.HttpReply;

/**
 * The console's answers with the headers every one carries: never cached (figures are live, pages change with the
 * broker), never sniffed as another type, never framed by another site (a framed console could be clicked through).
 */
final class ConsoleReplies {
    static final String JSON = "application/json; charset=utf-8";

    private ConsoleReplies() {
    }

    static HttpReply json(Json json) {
        return guarded(HttpReply.ok(JSON, json.bytes()));
    }

    /** An error as JSON: {@code {"error": "..."}}, the message saying what was wrong and what to do. */
    static HttpReply error(int status, String message) {
        return guarded(new HttpReply(status, JSON, new Json().beginObject().field("error", message).endObject()
                .bytes()));
    }

    static HttpReply guarded(HttpReply reply) {
        return reply.withHeader("Cache-Control", "no-store")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    }
}
