package io.tunnelmq.server.http;

import io.tunnelmq.server.BrokerFixture;
import io.tunnelmq.server.security.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    void aRouteOnAThreadOfItsOwnHoldsUpNeitherOtherConnectionsNorTheOrderOfItsConnectionsAnswers() throws Exception {
        CountDownLatch slowMayAnswer = new CountDownLatch(1);
        ExecutorService slowThread = Executors.newSingleThreadExecutor();
        HttpRoute slow = new HttpRoute() {
            @Override
            public HttpReply answer(HttpCall call) {
                try {
                    assertThat(slowMayAnswer.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HttpReply.ok("text/plain", "slow".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Executor executor() {
                return slowThread;
            }
        };
        server = HttpServer.start("127.0.0.1", 0, new HttpRoutes().add("/slow", slow).add("/fine",
                call -> HttpReply.ok("text/plain", new byte[] {'o', 'k'})));
        try (Socket pipelined = connect("127.0.0.1")) {
            // two requests in one write: the second must be answered after the first, though it could be at once
            pipelined.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: broker\r\n\r\n"
                    + "GET /fine HTTP/1.1\r\nHost: broker\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(get("/fine").body()).as("another connection, while /slow is answered").isEqualTo("ok");
            slowMayAnswer.countDown();
            String answers = readUntil(pipelined.getInputStream(), "ok");
            assertThat(answers.indexOf("slow")).as("in order: " + answers).isPositive()
                    .isLessThan(answers.lastIndexOf("ok"));
        } finally {
            slowThread.shutdownNow();
        }
    }

    /** What {@code in} gives until it ends with {@code end}. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (!read.toString().endsWith(end)) {
            int c = in.read();
            if (c == -1) {
                break;
            }
            read.append((char) c);
        }
        return read.toString();
    }

    @Test
    void aConnectionPastALimitIsAnswered503SayingWhichAndAFreedPlaceIsTakenAgain() throws Exception {
        server = HttpServer.start("127.0.0.1", 0, new HttpRoutes().add("/fine",
                call -> HttpReply.ok("text/plain", new byte[] {'o', 'k'})), new ConnectionLimits(3, 2),
                HttpChannels.REQUEST_MILLIS);
        List<Socket> open = new ArrayList<>();
        try {
            open.add(served("127.0.0.2"));
            open.add(served("127.0.0.2"));
            assertThat(refusal("127.0.0.2")).startsWith("HTTP/1.1 503 ")
                    .endsWith("127.0.0.2 holds its maximum of 2 connections to the HTTP port\n");
            open.add(served("127.0.0.3"));
            assertThat(refusal("127.0.0.4")).endsWith("the HTTP port holds its maximum of 3 connections\n");

            open.remove(0).close();
            BrokerFixture.eventually("the closed connection's place is free", Duration.ofSeconds(10), () -> {
                try (Socket again = connect("127.0.0.4")) {
                    return statusLine(again).equals("HTTP/1.1 200 OK");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void aRequestDribbledAByteAtATimeIsAnswered408AtItsDeadlineWhileAnIdleConnectionStays() throws Exception {
        server = HttpServer.start("127.0.0.1", 0, new HttpRoutes().add("/fine",
                call -> HttpReply.ok("text/plain", new byte[] {'o', 'k'})), new ConnectionLimits(10, 10), 1_000);
        try (Socket idle = connect("127.0.0.1"); Socket slow = connect("127.0.0.1")) {
            assertThat(fine(idle)).startsWith("HTTP/1.1 200 OK\r\n");
            OutputStream out = slow.getOutputStream();
            out.write("GET /fine HTTP/1.1\r\nHost: broker\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
            // a byte each 50 ms restarts any idle timeout; a write the closed connection refuses ends the schedule
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            try {
                String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close")
                        .endsWith("a request must arrive whole within 1000 ms of its first byte\n");
            } finally {
                dribbler.shutdownNow();
            }
            // idle through the whole deadline, between requests: not a request under way
            assertThat(fine(idle)).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    /** Sends a GET of /fine and reads the whole answer. */
    private static String fine(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /fine HTTP/1.1\r\nHost: broker\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return readUntil(socket.getInputStream(), "\r\n\r\nok");
    }

    /** A connection from {@code from} that got an answer to a GET, kept open. */
    private Socket served(String from) throws IOException {
        Socket socket = connect(from);
        assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
        return socket;
    }

    /** What the port answers a connection from {@code from} before closing it. */
    private String refusal(String from) throws IOException {
        try (Socket socket = connect(from)) {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort(),
                InetAddress.getByName(from), 0);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends a GET of /fine and reads the answer's status line. */
    private static String statusLine(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /fine HTTP/1.1\r\nHost: broker\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
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
