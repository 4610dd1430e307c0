package io.tunnelmq.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The web console's JSON routes as a browser calls them: one visitor, its session cookie, the console's header. */
final class ConsoleHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String cookie;

    ConsoleHttp(EmbeddedBroker broker) {
        this(broker.httpPort());
    }

    /** The console of the broker whose HTTP port is {@code httpPort} on 127.0.0.1. */
    ConsoleHttp(int httpPort) {
        this.base = "http://127.0.0.1:" + httpPort;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The broker's metrics (Prometheus text); empty while they cannot be read, for a test that waits on them. */
    String metrics() {
        try {
            return get("/metrics").body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A POST as the console's own page sends it (with the CSRF header). */
    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        return post(path, form, Map.of("X-TunnelMQ-Console", "1"));
    }

    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers)
            throws IOException, InterruptedException {
        return http.send(postRequest(path, form, headers), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, Map<String, String> form) {
        return http.sendAsync(postRequest(path, form, Map.of("X-TunnelMQ-Console", "1")),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in; returns the answer (the session cookie is kept when it is 200). */
    HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> answer = post("/console/api/login", Map.of("user", user, "password", password));
        answer.headers().firstValue("set-cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return answer;
    }

    private HttpRequest postRequest(String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"))));
        headers.forEach(b::header);
        return b.build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A number member of the flat JSON object that has {@code "key":"value"} (a queue row, a connection row). */
    static long number(String json, String key, String value, String member) {
        String object = object(json, key, value);
        Matcher m = Pattern.compile("\"" + Pattern.quote(member) + "\":(-?\\d+)").matcher(object);
        if (!m.find()) {
            throw new AssertionError("no number '" + member + "' in " + object);
        }
        return Long.parseLong(m.group(1));
    }

    /** The flat JSON object that has {@code "key":"value"}. */
    static String object(String json, String key, String value) {
        int at = json.indexOf("\"" + key + "\":\"" + value + "\"");
        if (at < 0) {
            throw new AssertionError("no object with " + key + "=" + value + " in " + json);
        }
        int start = json.lastIndexOf('{', at);
        int end = json.indexOf('}', at);
        return json.substring(start, end + 1);
    }
}
