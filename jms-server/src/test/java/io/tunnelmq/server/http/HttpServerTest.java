package io.tunnelmq.server.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP port on its own: routes and trees, query and form parameters, a failing route, garbage on the socket. */
@Timeout(20)
class HttpServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRouteGetsItsPathAndParameters() throws Exception {
        HttpRoutes routes = new HttpRoutes().add("/echo", call -> HttpReply.ok("text/plain",
                (call.path() + " " + call.parameters()).getBytes(StandardCharsets.UTF_8)));
        server = HttpServer.start("127.0.0.1", 0, routes);
        HttpResponse<String> response = get("/echo?queue=orders&queue=DLQ.orders");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/echo " + Map.of("queue", List.of("orders", "DLQ.orders")));
    }

    @Test
    void aTreeTakesPostWithItsFormHeadersAndAnswerHeaders() throws Exception {
        HttpRoutes routes = new HttpRoutes()
                .add("/exact", call -> HttpReply.ok("text/plain", new byte[] {'e'}))
                .addTree("/app/", call -> HttpReply.ok("text/plain", (call.method() + " " + call.path() + " "
                        + call.parameter("queue") + " " + call.parameter("user") + " " + call.header("x-custom"))
                        .getBytes(StandardCharsets.UTF_8)).withHeader("X-Answer", "yes"))
                .addTree("/app/deep/", call -> HttpReply.ok("text/plain", "deep".getBytes(StandardCharsets.UTF_8))
                        .delayed(50));
        server = HttpServer.start("127.0.0.1", 0, routes);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/app/api/purge?queue=orders"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Custom", "1")
                .POST(HttpRequest.BodyPublishers.ofString("user=al%20ice")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("POST /app/api/purge orders al ice 1");
        assertThat(post.headers().firstValue("x-answer")).hasValue("yes");
        assertThat(get("/app/").body()).isEqualTo("GET /app/ null null null");
        // the longer prefix wins; its answer comes after its delay, from the server's timer
        assertThat(get("/app/deep/x").body()).isEqualTo("deep");
        // an exact path still answers only GET and HEAD; a tree names POST in its Allow
        assertThat(send("POST", "/exact").headers().firstValue("allow")).hasValue("GET, HEAD");
        HttpResponse<String> put = send("PUT", "/app/x");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("allow")).hasValue("GET, HEAD, POST");
        assertThat(get("/elsewhere").body()).contains("/exact", "/app/...");
        assertThatThrownBy(() -> routes.addTree("/app/", call -> null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> routes.addTree("/no-slash", call -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString("x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailingRouteAnswers500AndTheServerStaysUp() throws Exception {
        HttpRoutes routes = new HttpRoutes()
                .add("/broken", call -> {
                    throw new IllegalStateException("boom");
                })
                .add("/fine", call -> HttpReply.ok("text/plain", new byte[] {'o', 'k'}));
        server = HttpServer.start("127.0.0.1", 0, routes);
        HttpResponse<String> broken = get("/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).contains("boom");
        assertThat(get("/fine").body()).isEqualTo("ok");
    }

    @Test
    void garbageOnTheSocketClosesOnlyThatConnection() throws Exception {
        server = HttpServer.start("127.0.0.1", 0, new HttpRoutes().add("/fine",
                call -> HttpReply.ok("text/plain", new byte[] {'o', 'k'})));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("\u0000\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.").contains(" 400 ");
        }
        assertThat(get("/fine").statusCode()).isEqualTo(200);
    }

    @Test
    void aPathIsServedOnce() {
        HttpRoutes routes = new HttpRoutes().add("/metrics", call -> HttpReply.text(200, "x"));
        assertThatThrownBy(() -> routes.add("/metrics", call -> HttpReply.text(200, "y")))
                .hasMessageContaining("/metrics is served already");
        assertThatThrownBy(() -> routes.add("metrics", call -> HttpReply.text(200, "y")))
                .hasMessageContaining("starts with '/'");
    }

    @Test
    void aTakenPortIsReported() {
        server = HttpServer.start("127.0.0.1", 0, new HttpRoutes());
        int port = server.localAddress().getPort();
        assertThatThrownBy(() -> HttpServer.start("127.0.0.1", port, new HttpRoutes()))
                .isInstanceOf(HttpListenException.class)
                .hasMessage("cannot open the HTTP port 127.0.0.1:" + port + ": address already in use");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
    }
}
