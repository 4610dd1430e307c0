package io.tunnelmq.server.http;

import java.util.List;
import java.util.Map;

/**
 * A request as a route sees it.
 *
 * @param path       the decoded path, without the query
 * @param parameters the query parameters, each with its values in order
 */
public record HttpCall(String path, Map<String, List<String>> parameters) {
    public HttpCall {
        parameters = Map.copyOf(parameters);
    }
}
