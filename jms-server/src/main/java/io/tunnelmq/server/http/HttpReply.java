package io.tunnelmq.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A route's answer.
 *
 * @param status      the HTTP status code
 * @param contentType the Content-Type header
 * @param body        the body
 * @param headers     more response headers (Set-Cookie, Cache-Control, ...)
 * @param delayMillis how long to hold the answer back (a failed login's back-off); the server's timer waits, no
 *                    thread sleeps
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers, long delayMillis) {
    private static final String TEXT = "text/plain; charset=utf-8";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis < 0: " + delayMillis);
        }
    }

    /** An answer without more headers, sent at once. */
    public HttpReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of(), 0);
    }

    /** 200 with this body. */
    public static HttpReply ok(String contentType, byte[] body) {
        return new HttpReply(200, contentType, body);
    }

    /** A plain-text answer, for errors: says what was wrong and what to do. */
    public static HttpReply text(int status, String message) {
        return new HttpReply(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** This answer with one more header (replacing one of the same name). */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more, delayMillis);
    }

    /**
     * This answer as the bytes of an HTTP/1.1 response that closes the connection (its headers but not its delay),
     * for a connection answered before or outside the HTTP codec: one refused at the door, one whose request never
     * came whole.
     */
    byte[] closingBytes() {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(HttpResponseStatus.valueOf(status))
                .append("\r\nContent-Type: ").append(contentType)
                .append("\r\nContent-Length: ").append(body.length);
        headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
        byte[] top = head.append("\r\nConnection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(top, top.length + body.length);
        System.arraycopy(body, 0, bytes, top.length, body.length);
        return bytes;
    }

    /** This answer, held back {@code millis}. */
    public HttpReply delayed(long millis) {
        return new HttpReply(status, contentType, body, headers, millis);
    }
}
