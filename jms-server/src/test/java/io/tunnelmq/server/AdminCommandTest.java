package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.admin.AdminCommand;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar jms-server.jar admin ...} end to end, through the broker's command-line entry point. */
@Timeout(30)
class AdminCommandTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedBroker broker;
    private Map<String, String> environment = Map.of();
    private String out;
    private String err;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        open.add(broker);
    }

    private TestClient client(String clientId) throws IOException {
        TestClient client = TestClient.connect(broker);
        client.hello(clientId, 0, Map.of());
        open.add(client);
        return client;
    }

    /** Runs {@code admin --url <broker> args...} as {@code Broker.run} does; keeps stdout and stderr. */
    private int admin(String... args) {
        List<String> all = new ArrayList<>(List.of("admin", "--url", broker.url()));
        all.addAll(List.of(args));
        return adminRaw(all.toArray(String[]::new));
    }

    private int adminRaw(String... args) {
        AdminRun run = AdminRun.of(environment, java.util.Arrays.copyOfRange(args, 1, args.length));
        out = run.out();
        err = run.err();
        return run.code();
    }

    /** Starts a broker with users alice and bob and these permissions; alice logs in (with this client ID). */
    private TestClient startSecured(Path permissions, String clientId) throws IOException {
        broker = EmbeddedBroker.start(BrokerFixture.config().withPermissionsFile(permissions),
                new PasswordFile(Map.of("alice", "alice-pw", "bob", "bob-pw"), false));
        open.add(broker);
        TestClient alice = TestClient.connect(broker);
        open.add(alice);
        alice.send(new io.tunnelmq.protocol.frame.Hello(io.tunnelmq.protocol.Protocol.VERSION, clientId, "alice",
                "alice-pw", 0, Map.of()));
        alice.expect(io.tunnelmq.protocol.frame.Welcome.class);
        return alice;
    }

    private void send(TestClient client, WireDestination to, String... ids) throws IOException {
        int s = client.openSession(false);
        for (String id : ids) {
            client.sendMessage(s, text(to, id));
        }
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    @Test
    void queuesPrintsATableAndJson() throws Exception {
        start();
        send(client(null), ORDERS, "m1", "m2");

        assertThat(admin("queues")).isZero();
        assertThat(err).isEmpty();
        assertThat(lines(out).get(0)).startsWith("name").contains("messages").contains("available");
        assertThat(lines(out)).anySatisfy(l -> assertThat(l.split(" +")).startsWith("orders", "queue", "no", "2", "2"));

        ByteArrayOutputStream viaBroker = new ByteArrayOutputStream();
        assertThat(Broker.run(new String[] {"admin", "--url", broker.url(), "queues"}, new PrintStream(viaBroker, true,
                StandardCharsets.UTF_8), System.err, new java.util.concurrent.CountDownLatch(0))).isZero();
        // the jar's main dispatches to admin (the oldest message's age differs between the two runs)
        assertThat(lines(viaBroker.toString(StandardCharsets.UTF_8))).hasSize(2).first().isEqualTo(lines(out).get(0));

        assertThat(admin("--json", "queues")).isZero();
        assertThat(out).startsWith("[").contains("{\"name\": \"orders\", \"kind\": \"queue\", \"temporary\": \"no\","
                + " \"messages\": \"2\"");
    }

    @Test
    void browseShowsLockedMessagesWithOwnerAndHonoursSelectorAndMax() throws Exception {
        start();
        send(client(null), ORDERS, "m1", "m2", "m3");
        TestClient consumer = client("app1");
        int s = consumer.openSession(false);
        consumer.createConsumer(s, 1, ORDERS, 1);
        consumer.awaitDelivery(s, 1);

        assertThat(admin("browse", "orders")).isZero();
        assertThat(lines(out)).hasSize(4);
        assertThat(lines(out).get(1)).startsWith("m1").contains("locked").contains("client ID app1")
                .contains("body of m1");
        assertThat(lines(out).get(2)).startsWith("m2").contains("available");

        assertThat(admin("browse", "orders", "--selector", "seq = 'm3'")).isZero();
        assertThat(lines(out)).hasSize(2).last().asString().startsWith("m3");
        assertThat(admin("browse", "orders", "--max=2", "--json")).isZero();
        assertThat(out).contains("\"id\": \"m1\"").contains("\"state\": \"locked\"").contains("\"id\": \"m2\"")
                .doesNotContain("m3");
    }

    @Test
    void purgeAndDeleteChangeTheQueueAndSayWhatTheyDid() throws Exception {
        start();
        send(client(null), ORDERS, "m1", "m2");

        assertThat(admin("purge", "orders")).isZero();
        assertThat(lines(out)).containsExactly("purged", "     2");
        assertThat(broker.queueDepth("orders")).isZero();
        assertThat(admin("delete", "orders", "--json")).isZero();
        assertThat(out).contains("{\"deleted\": \"orders\"}");
        assertThat(broker.management().queueFigures("orders")).isEmpty();

        assertThat(admin("delete", "orders")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().startsWith("error: ")
                .contains("there is no queue 'orders'");
        assertThat(out).isEmpty();
    }

    @Test
    void deleteUnsubscribesADurableSubscriptionOnceItsConsumerIsGone() throws Exception {
        start();
        TestClient client = client("app1");
        int session = client.openSession(false);
        client.createDurableConsumer(session, 1, WireDestination.topic("news"), "digest", 10);

        assertThat(admin("delete", "news:app1.digest")).isEqualTo(1);
        assertThat(err).contains("active consumer");
        client.closeConsumer(session, 1);
        send(client, WireDestination.topic("news"), "n1");
        assertThat(admin("delete", "news:app1.digest")).isZero();
        assertThat(out).contains("news:app1.digest");
        assertThat(broker.management().queueFigures("news:app1.digest")).isEmpty();
    }

    @Test
    void moveCopyAndReplayDeliverTheMessagesOnceInOrder() throws Exception {
        start();
        TestClient client = client(null);
        send(client, ORDERS, "a1", "a2", "a3");

        assertThat(admin("move", "orders", "retry", "--selector", "seq <> 'a2'")).isZero();
        assertThat(lines(out)).containsExactly("moved  locked-left", "    2            0");
        assertThat(admin("move", "orders", "copies", "--copy")).isZero();
        assertThat(out).startsWith("copied");
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
        assertThat(broker.queueDepth("copies")).isEqualTo(1);

        int s = client.openSession(false);
        client.createConsumer(s, 1, WireDestination.queue("retry"), 10);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Deliver d = client.awaitDelivery(s, 1);
            got.add(d.message().messageId());
            long id = client.nextRequestId(); // dead-letter them, to replay them next
            client.request(new Settle(s, id, SettleOutcome.DEAD_LETTER, new long[] {d.lockToken()}, "x"), id);
        }
        assertThat(got).containsExactly("a1", "a3");
        eventually("dead-lettered", () -> broker.queueDepth("DLQ.retry") == 2);

        assertThat(admin("replay-dlq", "DLQ.retry", "--json")).isZero();
        assertThat(out).contains("{\"replayed\": \"2\", \"locked-left\": \"0\"}");
        Deliver first = client.awaitDelivery(s, 1);
        Deliver second = client.awaitDelivery(s, 1);
        assertThat(List.of(first.message().messageId(), second.message().messageId())).containsExactly("a1", "a3");
        assertThat(first.deliveryCount()).isEqualTo(1);
        assertThat(broker.queueDepth("DLQ.retry")).isZero();
    }

    @Test
    void connectionsAreListedAndClosed() throws Exception {
        start();
        TestClient client = client("app7");
        client.openSession(false);

        assertThat(admin("connections")).isZero();
        assertThat(lines(out)).hasSize(3); // the client's and the admin command's own
        String row = lines(out).stream().filter(l -> l.contains("app7")).findFirst().orElseThrow();
        assertThat(row).contains("app7").contains("127.0.0.1:");
        String id = row.trim().split(" +")[0];

        assertThat(admin("close", id)).isZero();
        assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(admin("close", "999999")).isEqualTo(1);
        assertThat(err).contains("there is no open connection 999999");
        assertThat(admin("close", "x1")).isEqualTo(1);
        assertThat(err).contains("not 'x1'");
    }

    @Test
    void badInputGetsOneLineAndExitOne() throws Exception {
        start();
        send(client(null), ORDERS, "m1");

        assertThat(admin("browse", "nope")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().contains("there is no queue 'nope'");
        assertThat(admin("browse", "orders", "--selector", "seq =")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().contains("invalid selector");
        assertThat(admin("frobnicate")).isEqualTo(1);
        assertThat(err).contains("unknown command 'frobnicate'");
        assertThat(admin("purge")).isEqualTo(1);
        assertThat(err).contains("purge takes one operand");
        assertThat(admin("purge", "orders", "--copy")).isEqualTo(1);
        assertThat(err).contains("--copy does not apply to purge");
        assertThat(adminRaw("admin", "queues")).isEqualTo(1);
        assertThat(err).contains("--url is missing");
        assertThat(adminRaw("admin", "--url", "tmq://127.0.0.1:" + BrokerFixture.freePort(), "queues")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().startsWith("error: cannot connect to tmq://127.0.0.1:");
        assertThat(adminRaw("admin", "--help")).isZero();
        assertThat(out).startsWith("Usage: java -jar jms-server.jar admin");
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
    }

    @Test
    void withSecurityOnlyAdminsMayAndARefusalNamesUserOperationAndPermission() throws Exception {
        Path permissions = Files.writeString(dir.resolve("permissions"), String.join("\n",
                "role.operators = alice",
                "role.orderdesk = bob",
                "queue.>.admin,send,create = operators",
                "queue.orders.admin,send,create = orderdesk",
                ""));
        TestClient alice = startSecured(permissions, null);
        send(alice, ORDERS, "o1");
        send(alice, WireDestination.queue("payroll"), "p1");

        environment = Map.of(AdminCommand.PASSWORD_VARIABLE, "bob-pw");
        assertThat(admin("--user", "bob", "browse", "orders")).isZero();
        assertThat(out).contains("o1");
        assertThat(admin("--user", "bob", "queues")).isZero();
        assertThat(out).contains("orders").doesNotContain("payroll");
        assertThat(admin("--user", "bob", "purge", "payroll")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().contains("purge refused").contains("user 'bob'")
                .contains("queue 'payroll'").contains("permission admin");
        assertThat(admin("--user", "bob", "connections")).isEqualTo(1);
        assertThat(err).contains("user 'bob' may not list connections").contains("queue.>.admin");
        assertThat(broker.management().counters().adminDenials()).isEqualTo(2);
        assertThat(broker.queueDepth("payroll")).isEqualTo(1);

        assertThat(admin("--user", "bob", "--password", "Secret-Guess-42", "queues")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().contains("refused the login")
                .doesNotContain("Secret-Guess-42");

        environment = Map.of();
        assertThat(admin("--user", "alice", "--password", "alice-pw", "connections")).isZero();
        assertThat(lines(out)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(admin("--user", "alice", "--password", "alice-pw", "purge", "payroll")).isZero();
        assertThat(broker.queueDepth("payroll")).isZero();
    }

    @Test
    void aReplayGoesOnlyWhereTheOperatorMayAdminister() throws Exception {
        Path permissions = Files.writeString(dir.resolve("permissions"), String.join("\n",
                "role.operators = alice",
                "role.orderdesk = bob",
                "queue.>.admin,send,consume,create = operators",
                "queue.orders.admin = orderdesk",
                "queue.DLQ.orders.admin = orderdesk",
                ""));
        TestClient alice = startSecured(permissions, null);
        int s = alice.openSession(false);
        alice.sendMessage(s, text(ORDERS, "genuine"));
        alice.createConsumer(s, 1, ORDERS, 1);
        long id = alice.nextRequestId();
        alice.request(new Settle(s, id, SettleOutcome.DEAD_LETTER, new long[] {alice.awaitDelivery(s, 1).lockToken()},
                "x"), id);
        // whoever may send to the dead-letter queue writes the property a replay follows
        alice.sendMessage(s, new io.tunnelmq.protocol.message.WireMessage(WireDestination.queue("DLQ.orders"),
                "planted", 0, null, null, null, false, 4, 0, 0, Map.of("JMS_TMQ_OriginalDestination", "payroll"),
                io.tunnelmq.protocol.message.BodyType.TEXT, null));
        eventually("both in the dead-letter queue", () -> broker.queueDepth("DLQ.orders") == 2);

        assertThat(admin("--user", "bob", "--password", "bob-pw", "replay-dlq", "DLQ.orders", "--json")).isZero();
        assertThat(out).contains("{\"replayed\": \"1\", \"locked-left\": \"0\"}");
        assertThat(broker.queueDepth("payroll")).as("bob may not administer payroll").isZero();
        assertThat(broker.queueDepth("DLQ.orders")).isEqualTo(1);
        assertThat(admin("--user", "alice", "--password", "alice-pw", "replay-dlq", "DLQ.orders")).isZero();
        assertThat(broker.queueDepth("payroll")).isEqualTo(1);
    }

    @Test
    void aQueueRuleDoesNotReachIntoATopicsSubscriptions() throws Exception {
        Path permissions = Files.writeString(dir.resolve("permissions"), String.join("\n",
                "role.queueops = bob",
                "role.traders = alice",
                "queue.prices.>.admin = queueops",
                "topic.prices.>.admin,send,consume,create = traders",
                ""));
        TestClient alice = startSecured(permissions, "desk");
        WireDestination prices = WireDestination.topic("prices.eur");
        int s = alice.openSession(false);
        long create = alice.nextRequestId();
        alice.request(new io.tunnelmq.protocol.frame.CreateConsumer(s, create, 1, prices, null, false, "s1", true,
                false, 0), create);
        alice.sendMessage(s, text(prices, "quote-1"));
        eventually("the subscription holds it",
                () -> broker.management().browse("prices.eur:desk.s1", null, 10).size() == 1);

        // "prices.eur:desk.s1" matches queue.prices.>, but it is topic prices.eur's subscription
        assertThat(admin("--user", "bob", "--password", "bob-pw", "browse", "prices.eur:desk.s1")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().contains("user 'bob'").contains("topic 'prices.eur'")
                .contains("permission admin");
        assertThat(admin("--user", "alice", "--password", "alice-pw", "browse", "prices.eur:desk.s1")).isZero();
        assertThat(out).contains("quote-1");
        assertThat(admin("--user", "bob", "--password", "bob-pw", "queues")).isZero();
        assertThat(out).as("bob administers no topic").doesNotContain("prices.eur");
        assertThat(admin("--user", "alice", "--password", "alice-pw", "queues")).isZero();
        assertThat(out).contains("prices.eur:desk.s1");
    }

    @Test
    void tmqsConnectsWithTheTrustStoreOfTheUrlAndRefusesAnUntrustedBroker() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("broker.cer");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
                "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity",
                "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "test-only", "-keypass",
                "test-only");
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", "test-only",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", trustStore.toString(), "-storepass", "test-only");
        broker = EmbeddedBroker.start(BrokerFixture.config().withTls(
                new io.tunnelmq.server.net.TlsSettings(0, keyStore, "test-only")));
        open.add(broker);
        send(client(null), ORDERS, "m1");

        String url = broker.tlsUrl() + "?trustStore=" + trustStore + "&trustStorePassword=test-only";
        assertThat(adminRaw("admin", "--url", url, "queues")).isZero();
        assertThat(out).contains("orders");
        assertThat(adminRaw("admin", "--url", broker.tlsUrl(), "queues")).isEqualTo(1);
        assertThat(lines(err)).singleElement().asString().startsWith("error: ");
        assertThat(err).doesNotContain("test-only");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0],
                Files.exists(dir.resolve("keytool.log")) ? Files.readString(dir.resolve("keytool.log")) : "")
                .isZero();
    }
}
