package io.tunnelmq.server;

import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.RedeliveryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The standalone broker's command line: help, bad arguments, a taken port, a real run. */
@Timeout(30)
class BrokerCommandLineTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Broker.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("Usage: java -jar jms-server.jar").contains("--port PORT").contains("--config");
        assertThat(err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus             | unknown option '--bogus'",
            "--port              | option --port needs a value",
            "--port --data       | option --port needs a value",
            "--port abc          | --port 'abc' is not a number",
            "--port 70000        | --port 70000 is out of range 0..65535",
            "--port -1           | --port -1 is out of range 0..65535",
            "--config /no/such/f | cannot read config file /no/such/f: no such file",
            "--users             | option --users needs a value",
            "--allow-anonymous   | --allow-anonymous only makes sense with --users: without it everyone may connect",
    })
    void aBadArgumentPrintsOneClearLinePlusUsageAndExitsTwo(String args, String message) {
        assertThat(run(args.trim().split(" +"))).isEqualTo(2);
        String[] lines = err().split("\\R");
        assertThat(lines[0]).isEqualTo("error: " + message);
        assertThat(err()).contains("Usage: java -jar jms-server.jar");
        assertThat(out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lockDuration=soon                 | lockDuration='soon' is not a whole number",
            "queue.orders.maxDeliveryCount=0   | queue.orders.maxDeliveryCount=0 is out of range 1..",
            "queue.orders.colour=red           | unknown key 'queue.orders.colour'",
            "lockDurration=5                   | unknown key 'lockDurration'",
    })
    void aBadConfigFileExitsTwoNamingTheFileAndTheKey(String line, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("broker.properties"), line.trim() + "\n");
        assertThat(run("--config", file.toString())).isEqualTo(2);
        assertThat(err().split("\\R")[0]).startsWith("error: config file " + file + ": " + message.trim());
    }

    @Test
    void aUsersFileAdmitsOnlyItsUsersAndAnonymousClientsWhenAllowed() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "guest=guest\n");
        var strict = BrokerArguments.parse(new String[]{"--users", users.toString()}).users();
        assertThat(strict.accepts("guest", "guest")).isTrue();
        assertThat(strict.accepts("guest", "nope")).isFalse();
        assertThat(strict.accepts(null, null)).isFalse();
        var open = BrokerArguments.parse(new String[]{"--users", users.toString(), "--allow-anonymous"}).users();
        assertThat(open.accepts(null, null)).isTrue();
        assertThat(open.accepts("invalid", "invalid")).isFalse();
        assertThat(BrokerArguments.parse(new String[0]).users()).as("no users file: everyone may connect").isNull();

        assertThat(run("--users", dir.resolve("missing.properties").toString())).isEqualTo(2);
        assertThat(err()).contains("cannot read the users file").contains("missing.properties");
    }

    @Test
    void aConfigFileSetsBrokerAndQueueSettingsAndFlagsWin() throws Exception {
        Path file = Files.writeString(dir.resolve("broker.properties"), String.join("\n",
                "port=1234", "lockDuration=1000", "maxDeliveryCount=4",
                "queue.orders.eu.lockDuration=5000", "queue.orders.eu.maxDeliveryCount=2",
                "queue.audit.maxDeliveryCount=7", ""));

        BrokerConfig config = BrokerArguments.parse(new String[]{"--config", file.toString(), "--port", "4321"})
                .config();

        assertThat(config.port()).isEqualTo(4321);
        assertThat(config.queueSettings("orders.eu")).isEqualTo(new QueueSettings(5000, 2));
        assertThat(config.queueSettings("audit")).isEqualTo(new QueueSettings(1000, 7));
        assertThat(config.queueSettings("other")).isEqualTo(new QueueSettings(1000, 4));
    }

    @Test
    void aConfigFileSetsTheRedeliveryBackoffForTheBrokerAndPerQueue() throws Exception {
        Path file = Files.writeString(dir.resolve("broker.properties"), String.join("\n",
                "redeliveryDelay=100", "redeliveryMultiplier=3", "maxRedeliveryDelay=5000",
                "queue.slow.q.redeliveryDelay=1000", "queue.slow.q.maxRedeliveryDelay=2000",
                "queue.fast.redeliveryDelay=0", "queue.fast.lockDuration=700", ""));

        BrokerConfig config = BrokerArguments.parse(new String[]{"--config", file.toString()}).config();

        assertThat(config.queueSettings("other").redelivery()).isEqualTo(new RedeliveryPolicy(100, 3.0, 5000));
        assertThat(config.queueSettings("slow.q").redelivery()).isEqualTo(new RedeliveryPolicy(1000, 3.0, 2000));
        assertThat(config.queueSettings("fast")).isEqualTo(new QueueSettings(700, 10,
                new RedeliveryPolicy(0, 3.0, 5000)));
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("redeliveryDelay").contains("maxRedeliveryDelay");
    }

    @Test
    void badRedeliverySettingsNameTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "redeliveryMultiplier=0.5\n");
        assertThat(run("--config", file.toString())).isEqualTo(2);
        assertThat(err()).contains("redeliveryMultiplier=0.5 must be a number >= 1.0");
        Path typo = Files.writeString(dir.resolve("typo.properties"), "queue.q.redeliveryDelai=5\n");
        assertThat(run("--config", typo.toString())).isEqualTo(2);
        assertThat(err()).contains("unknown key 'queue.q.redeliveryDelai'");
    }

    @Test
    void peerLimitsComeFromTheConfigFileAndFlagsWin() throws Exception {
        Path file = Files.writeString(dir.resolve("broker.properties"), String.join("\n",
                "maxConnections=100", "maxConnectionsPerAddress=10", "handshakeTimeout=2500",
                "loginFailureDelay=50", "maxLoginFailureDelay=400", "largeFrameMemory=8388608",
                "maxSessionsPerConnection=64", "maxConsumersPerConnection=256", "maxTemporariesPerConnection=32",
                "loginCache=1500", ""));
        Path users = Files.writeString(dir.resolve("users.properties"), "alice=wonder land\n");
        BrokerArguments parsed = BrokerArguments.parse(new String[]{"--config", file.toString(),
                "--max-connections-per-address", "20", "--users", users.toString()});
        assertThat(parsed.config().peerLimits()).isEqualTo(new io.tunnelmq.server.security.PeerLimits(100, 20, 2500,
                50, 400, 8_388_608, 64, 256, 32, 1500));
        assertThat(parsed.users().rememberMillis()).as("the users file's").isEqualTo(1500);
        assertThat(BrokerArguments.parse(new String[0]).config().peerLimits())
                .isEqualTo(io.tunnelmq.server.security.PeerLimits.DEFAULTS);
        assertThat(run("--max-connections", "0")).isEqualTo(2);
        assertThat(err()).contains("--max-connections must be at least 1");
    }

    @Test
    void passwdIsACommandOfItsOwn() {
        assertThat(run("passwd")).isEqualTo(2);
        assertThat(err()).contains("Usage: java -jar jms-server.jar passwd FILE USER");
    }

    @Test
    void aTakenPortIsReportedWithoutAStackTraceAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(run("--port", Integer.toString(port), "--data", dir.resolve("d").toString())).isEqualTo(1);
            assertThat(err().trim()).isEqualTo("cannot listen on 127.0.0.1:" + port + ": address already in use"
                    + " — is another broker running? Choose another port with --port");
        }
    }

    @Test
    void aRunPrintsTheListeningLineServesClientsAndStopsCleanly() throws Exception {
        Path data = dir.resolve("data");
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Broker.run(
                new String[]{"--port", "0", "--http-port", "0", "--data", data.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                stop));
        try {
            eventually("listening line printed", () -> out().contains("\n") || exit.isDone());
            String line = out().trim();
            Matcher m = Pattern.compile("TunnelMQ broker \\S+ listening on tmq://127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertThat(m.matches()).as("listening line: " + line + " / " + err()).isTrue();
            assertThat(data).isDirectory();

            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                assertThat(socket.isConnected()).isTrue();
            }
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out().trim().lines()).hasSize(1);
    }
}
