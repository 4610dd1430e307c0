package io.tunnelmq.server.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as a route sees it.
 *
 * @param path       the decoded path, without the query
 * @param parameters the query parameters, each with its values in order; for a form POST
 *                   ({@code application/x-www-form-urlencoded}) the form's fields too
 * @param method     {@code GET}, {@code HEAD} or {@code POST}
 * @param headers    the request's headers, names in lower case (the first value of each)
 * @param remote     the client's address (for the failed-login back-off)
 */
public record HttpCall(String path, Map<String, List<String>> parameters, String method, Map<String, String> headers,
                       InetAddress remote) {
    public HttpCall {
        parameters = Map.copyOf(parameters);
        headers = Map.copyOf(headers);
    }

    /** A GET from the loopback address without headers (for tests and exact routes that need no more). */
    public HttpCall(String path, Map<String, List<String>> parameters) {
        this(path, parameters, "GET", Map.of(), InetAddress.getLoopbackAddress());
    }

    /** Whether this is a POST (an action), not a GET or HEAD (a look). */
    public boolean post() {
        return "POST".equals(method);
    }

    /** A header's first value, or null; {@code name} in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** A parameter's first value, or null. */
    public String parameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
