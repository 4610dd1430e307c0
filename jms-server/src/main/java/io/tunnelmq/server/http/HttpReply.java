package io.tunnelmq.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A route's answer.
 *
 * @param status      the HTTP status code
 * @param contentType the Content-Type header
 * @param body        the body
 */
public record HttpReply(int status, String contentType, byte[] body) {
    private static final String TEXT = "text/plain; charset=utf-8";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** 200 with this body. */
    public static HttpReply ok(String contentType, byte[] body) {
        return new HttpReply(200, contentType, body);
    }

    /** A plain-text answer, for errors: says what was wrong and what to do. */
    public static HttpReply text(int status, String message) {
        return new HttpReply(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
