package io.tunnelmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --http-port} and {@code http.port}: parsing, defaults, and what the standalone broker does with them. */
@Timeout(30)
class HttpPortOptionTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theStandaloneBrokerOpensPort9495AndAnEmbeddedOneNone() {
        BrokerArguments arguments = BrokerArguments.parse(new String[0]);
        assertThat(arguments.config().httpPort()).isEqualTo(BrokerConfig.DEFAULT_HTTP_PORT).isEqualTo(9495);
        assertThat(arguments.httpPortGiven()).isFalse();
        assertThat(BrokerConfig.defaults().httpPort()).isZero();
    }

    @Test
    void theFlagSetsThePortAndZeroTurnsItOff() {
        assertThat(BrokerArguments.parse(new String[] {"--http-port", "8080"}).config().httpPort()).isEqualTo(8080);
        BrokerArguments off = BrokerArguments.parse(new String[] {"--http-port", "0"});
        assertThat(off.config().httpPort()).isZero();
        assertThat(off.httpPortGiven()).isTrue();
    }

    @Test
    void theConfigFileSetsThePortAndTheFlagWins() throws IOException {
        Path file = Files.writeString(dir.resolve("broker.properties"), "http.port=1234\n");
        assertThat(BrokerArguments.parse(new String[] {"--config", file.toString()}).config().httpPort())
                .isEqualTo(1234);
        assertThat(BrokerArguments.parse(new String[] {"--config", file.toString(), "--http-port", "4321"}).config()
                .httpPort()).isEqualTo(4321);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--http-port             | option --http-port needs a value",
            "--http-port abc         | --http-port 'abc' is not a number",
            "--http-port 70000       | --http-port 70000 is out of range 0..65535",
            "--http-port -1          | --http-port -1 is out of range 0..65535"})
    void badValuesAreRefusedWithExitTwo(String args, String message) {
        assertThat(run(new CountDownLatch(0), args.trim().split(" +"))).isEqualTo(2);
        assertThat(err()).startsWith("error: " + message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http.port=abc    | http.port='abc' is not a whole number",
            "http.port=70000  | http.port=70000 is out of range 0..65535"})
    void badConfigValuesAreRefused(String line, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.properties"), line.trim() + "\n");
        assertThat(run(new CountDownLatch(0), "--config", file.toString())).isEqualTo(2);
        assertThat(err()).contains(message);
    }

    @Test
    void aTakenHttpPortAskedForStopsTheBroker() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(run(new CountDownLatch(0), "--port", "0", "--http-port", Integer.toString(port), "--data",
                    dir.resolve("d").toString())).isEqualTo(1);
            assertThat(err().trim()).isEqualTo("cannot open the HTTP port 127.0.0.1:" + port
                    + ": address already in use — choose another HTTP port with --http-port (0 = none)");
        }
    }

    @Test
    void aTakenDefaultHttpPortOnlyWarns() throws Exception {
        try (ServerSocket taken = takeDefaultPort()) {
            CountDownLatch stop = new CountDownLatch(1);
            CompletableFuture<Integer> exit = runAsync(stop, "--port", "0", "--data", dir.resolve("d").toString());
            try {
                eventually("listening line printed", () -> out().contains("listening on") || exit.isDone());
                assertThat(out()).contains("listening on tmq://127.0.0.1:").doesNotContain("Metrics at");
            } finally {
                stop.countDown();
            }
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void theRunPrintsWhereTheMetricsAreAndServesThemAndTheHealthProbes() throws Exception {
        int port = BrokerFixture.freePort();
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = runAsync(stop, "--port", "0", "--http-port", Integer.toString(port),
                "--data", dir.resolve("d").toString());
        try {
            String url = "http://127.0.0.1:" + port + "/metrics";
            eventually("metrics line printed", () -> out().contains("Metrics at " + url) || exit.isDone());
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            PrometheusText metrics = PrometheusText.parse(response.body());
            assertThat(metrics.value("tunnelmq_connections")).isZero();
            assertThat(metrics.samples("tunnelmq_journal_fsync_seconds_count")).hasSize(1);
            assertThat(metrics.samples("tunnelmq_disk_used_bytes")).hasSize(1);
            assertThat(out()).contains("Health probes at http://127.0.0.1:" + port + "/health/ready and /health/live");
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200); // the probes a deployment points at
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    /** Holds 9495 for the test; if something else holds it already, it is taken all the same. */
    private static ServerSocket takeDefaultPort() throws IOException {
        try {
            return new ServerSocket(BrokerConfig.DEFAULT_HTTP_PORT, 1, InetAddress.getLoopbackAddress());
        } catch (BindException alreadyTaken) {
            return new ServerSocket(); // nothing to hold: closing it is harmless
        }
    }

    private int run(CountDownLatch stop, String... args) {
        return Broker.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stop);
    }

    private CompletableFuture<Integer> runAsync(CountDownLatch stop, String... args) {
        return CompletableFuture.supplyAsync(() -> run(stop, args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
