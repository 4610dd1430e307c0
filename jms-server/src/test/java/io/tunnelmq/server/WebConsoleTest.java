package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.security.PasswdCommand;
import io.tunnelmq.server.security.PasswordFile;
import io.tunnelmq.server.security.PeerLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.ConsoleHttp.number;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The web console's JSON routes without a browser: figures, login, permissions and the cross-site guard. */
@Timeout(60)
class WebConsoleTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    @TempDir
    Path dir;
    private final List<TestClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theQueueTableShowsTheTraffic() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort()));
        TestClient producer = client();
        int out = producer.openSession(false);
        for (int i = 0; i < 10; i++) {
            producer.sendMessage(out, text(ORDERS, "m" + i));
        }
        TestClient consumer = client();
        int in = consumer.openSession(false);
        consumer.createConsumer(in, 1, ORDERS, 5);
        List<Deliver> delivered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delivered.add(consumer.awaitDelivery(in, 1));
        }
        for (int i = 0; i < 3; i++) {
            consumer.settle(in, SettleOutcome.COMPLETE, delivered.get(i).lockToken());
        }
        consumer.settle(in, SettleOutcome.DEAD_LETTER, delivered.get(3).lockToken());
        eventually("the dead letter reaches DLQ.orders", () -> broker.queueDepth("DLQ.orders") == 1);

        ConsoleHttp console = new ConsoleHttp(broker);
        HttpResponse<String> table = console.get("/console/api/queues");
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        String json = table.body();
        assertThat(number(json, "name", "orders", "held")).isEqualTo(6);
        assertThat(number(json, "name", "orders", "available")).isEqualTo(5);
        assertThat(number(json, "name", "orders", "locked")).isEqualTo(1);
        assertThat(number(json, "name", "orders", "consumers")).isEqualTo(1);
        assertThat(number(json, "name", "orders", "enqueued")).isEqualTo(10);
        assertThat(number(json, "name", "orders", "completed")).isEqualTo(3);
        assertThat(number(json, "name", "orders", "deadLettered")).isEqualTo(1);
        assertThat(number(json, "name", "DLQ.orders", "held")).isEqualTo(1);
        assertThat(ConsoleHttp.object(json, "name", "orders")).contains("\"admin\":true");

        HttpResponse<String> page = console.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>TunnelMQ console</title>");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(console.get("/console/console.js").statusCode()).isEqualTo(200);
        assertThat(console.get("/console/charts.js").statusCode()).isEqualTo(200);
        assertThat(console.get("/console/nothing.js").statusCode()).isEqualTo(404);
        assertThat(console.get("/console/api/queue?name=nothing").statusCode()).isEqualTo(404);

        // the queue's messages in delivery order: the locked one with its owner and time left
        HttpResponse<String> messages = console.get("/console/api/messages?queue=orders&max=50");
        assertThat(messages.statusCode()).isEqualTo(200);
        assertThat(messages.body()).contains("\"more\":false").contains("\"body\":\"body of m5\"");
        String locked = ConsoleHttp.object(messages.body(), "state", "locked");
        assertThat(locked).contains("\"owner\":\"connection ");
        assertThat(number(messages.body(), "state", "locked", "lockRemainingMillis")).isPositive();
        assertThat(messages.body().split("\"state\":\"available\"")).hasSize(6); // five available
        assertThat(console.get("/console/api/messages?queue=orders&max=2").body()).contains("\"more\":true");
        assertThat(console.get("/console/api/messages?queue=orders&selector=a%20%3E").statusCode())
                .isEqualTo(400);

        // an open broker lets anyone act, but only through the console's own page
        HttpResponse<String> purged = console.post("/console/api/purge", Map.of("queue", "orders"));
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(purged.body()).isEqualTo("{\"purged\":5}");
        assertThat(broker.queueDepth("orders")).isEqualTo(1); // the locked one stays with its consumer
    }

    @Test
    void aDurableSubscriptionIsListedOpenedBrowsedAndPurged() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort()));
        WireDestination news = WireDestination.topic("news");
        TestClient reader = TestClient.connect(broker);
        clients.add(reader);
        reader.hello("app1", 0, Map.of());
        int s = reader.openSession(false);
        reader.createDurableConsumer(s, 1, news, "daily", 0);
        for (int i = 0; i < 3; i++) {
            reader.sendMessage(s, text(news, "n" + i));
        }
        eventually("the subscription holds them", () -> broker.management().queueFigures("news:app1.daily")
                .map(f -> f.stats().available() == 3).orElse(false));

        ConsoleHttp console = new ConsoleHttp(broker);
        String table = console.get("/console/api/queues").body();
        assertThat(ConsoleHttp.object(table, "name", "news:app1.daily")).contains("\"kind\":\"subscription\"");
        assertThat(number(table, "name", "news:app1.daily", "held")).isEqualTo(3);
        assertThat(console.get("/console/api/queue?name=news:app1.daily").statusCode()).isEqualTo(200);
        assertThat(console.get("/console/api/messages?queue=news:app1.daily&max=10").body())
                .contains("\"id\":\"n0\"", "\"id\":\"n2\"");
        assertThat(console.post("/console/api/purge", Map.of("queue", "news:app1.daily")).body())
                .isEqualTo("{\"purged\":3}");
    }

    @Test
    void aPageOfAnotherSiteCannotAct() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort()));
        TestClient producer = client();
        int out = producer.openSession(false);
        producer.sendMessage(out, text(ORDERS, "keep me"));
        ConsoleHttp console = new ConsoleHttp(broker);

        // a plain form post, as any page on the web can make the operator's browser send
        HttpResponse<String> form = console.post("/console/api/purge", Map.of("queue", "orders"), Map.of());
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("X-TunnelMQ-Console");
        // the header with a foreign origin (a page that got through CORS somehow)
        HttpResponse<String> foreign = console.post("/console/api/purge", Map.of("queue", "orders"),
                Map.of("X-TunnelMQ-Console", "1", "Origin", "http://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("http://evil.example");
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
        // and a GET never acts
        assertThat(console.get("/console/api/purge?queue=orders").statusCode()).isEqualTo(404);
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
    }

    @Test
    void withUsersTheConsoleNeedsALoginAndActionsNeedAdmin() throws Exception {
        startSecured(0);
        TestClient producer = client("alice", "wonder land");
        int out = producer.openSession(false);
        producer.sendMessage(out, text(ORDERS, "a"));
        client("bob", "builder");
        producer.sendMessage(out, text(WireDestination.queue("payments"), "b"));

        ConsoleHttp stranger = new ConsoleHttp(broker);
        assertThat(stranger.get("/console/api/session").body()).contains("\"loginRequired\":true",
                "\"loggedIn\":false");
        assertThat(stranger.get("/console/api/queues").statusCode()).isEqualTo(401);
        assertThat(stranger.post("/console/api/purge", Map.of("queue", "orders")).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = stranger.login("alice", "guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        assertThat(broker.management().counters().authFailures()).as("tunnelmq_auth_failures_total").isEqualTo(1);
        assertThat(stranger.get("/console/api/queues").statusCode()).isEqualTo(401);

        ConsoleHttp bob = new ConsoleHttp(broker);
        assertThat(bob.login("bob", "builder").statusCode()).isEqualTo(200);
        HttpResponse<String> bobsTable = bob.get("/console/api/queues");
        assertThat(bobsTable.statusCode()).isEqualTo(200);
        assertThat(number(bobsTable.body(), "name", "orders", "held")).isEqualTo(1);
        assertThat(ConsoleHttp.object(bobsTable.body(), "name", "orders")).contains("\"admin\":false");
        HttpResponse<String> denied = bob.post("/console/api/purge", Map.of("queue", "orders"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("bob", "orders", "admin");
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
        assertThat(bob.get("/console/api/messages?queue=orders").statusCode()).as("bob may browse orders")
                .isEqualTo(200);

        // a user without any rule logs in and sees the figures, but no message
        ConsoleHttp eve = new ConsoleHttp(broker);
        assertThat(eve.login("eve", "no rules").statusCode()).isEqualTo(200);
        assertThat(eve.get("/console/api/queues").statusCode()).isEqualTo(200);
        HttpResponse<String> hidden = eve.get("/console/api/messages?queue=orders");
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(hidden.body()).contains("eve", "orders", "browse").doesNotContain("body of");

        // alice administers orders.> and orders, not payments
        ConsoleHttp alice = new ConsoleHttp(broker);
        assertThat(alice.login("alice", "wonder land").statusCode()).isEqualTo(200);
        assertThat(alice.get("/console/api/session").body()).contains("\"user\":\"alice\"");
        assertThat(alice.post("/console/api/purge", Map.of("queue", "payments")).statusCode()).isEqualTo(403);
        assertThat(alice.post("/console/api/purge", Map.of("queue", "orders")).body()).isEqualTo("{\"purged\":1}");
        assertThat(broker.queueDepth("orders")).isZero();

        // connections may hold locks on any queue: seeing and closing them needs admin on every queue
        assertThat(alice.get("/console/api/connections").statusCode()).isEqualTo(403);
        ConsoleHttp carol = new ConsoleHttp(broker);
        assertThat(carol.login("carol", "root").statusCode()).isEqualTo(200);
        HttpResponse<String> connections = carol.get("/console/api/connections");
        assertThat(connections.statusCode()).isEqualTo(200);
        String id = ConsoleHttp.object(connections.body(), "user", "alice").replaceAll(".*\"id\":\"(\\d+)\".*", "$1");
        assertThat(alice.post("/console/api/close", Map.of("id", id)).statusCode()).isEqualTo(403);
        assertThat(producer.awaitClosed(Duration.ofMillis(200))).isFalse();
        assertThat(carol.post("/console/api/close", Map.of("id", id)).statusCode()).isEqualTo(200);
        assertThat(producer.awaitClosed(TestClient.WAIT)).isTrue();
        assertThat(carol.post("/console/api/close", Map.of("id", id)).statusCode()).isEqualTo(404);

        assertThat(alice.post("/console/api/logout", Map.of()).statusCode()).isEqualTo(200);
        assertThat(alice.get("/console/api/queues").statusCode()).isEqualTo(401);
    }

    @Test
    void replayingADeadLetterNeedsAdminOnTheDeadLetterQueue() throws Exception {
        startSecured(0);
        TestClient client = client("alice", "wonder land");
        int channel = client.openSession(false);
        client.sendMessage(channel, text(ORDERS, "poison"));
        client.createConsumer(channel, 1, ORDERS, 1);
        client.settle(channel, SettleOutcome.DEAD_LETTER, client.awaitDelivery(channel, 1).lockToken());
        eventually("the dead letter reaches DLQ.orders", () -> broker.queueDepth("DLQ.orders") == 1);

        ConsoleHttp bob = new ConsoleHttp(broker);
        bob.login("bob", "builder");
        assertThat(bob.post("/console/api/replay", Map.of("queue", "DLQ.orders")).statusCode()).isEqualTo(403);
        ConsoleHttp alice = new ConsoleHttp(broker);
        alice.login("alice", "wonder land");
        HttpResponse<String> replayed = alice.post("/console/api/replay", Map.of("queue", "DLQ.orders"));
        assertThat(replayed.body()).isEqualTo("{\"replayed\":1}");
        assertThat(broker.queueDepth("DLQ.orders")).isZero();
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
    }

    @Test
    void aFileTheBrokerRefusedIsShownToTheOperatorAndToNobodyElse() throws Exception {
        startSecured(0);
        ConsoleHttp carol = new ConsoleHttp(broker);
        assertThat(carol.login("carol", "root").statusCode()).isEqualTo(200);
        ConsoleHttp alice = new ConsoleHttp(broker);
        assertThat(alice.login("alice", "wonder land").statusCode()).isEqualTo(200);
        String none = "{\"problems\":[]}";
        assertThat(carol.get("/console/api/problems").body()).isEqualTo(none);

        Path permissions = dir.resolve("permissions.properties");
        String good = Files.readString(permissions);
        Files.writeString(permissions, good + "queue.>.sned = apps\n");
        eventually("the operator is told", () -> problems(carol).contains("unknown permission 'sned'"));
        assertThat(problems(carol)).contains("permissions.properties",
                "the broker keeps the permissions it had until the file is fixed");
        assertThat(carol.metrics()).contains("tunnelmq_problems 1.0");
        assertThat(problems(alice)).as("alice administers only orders").isEqualTo(none);

        Files.writeString(permissions, good);
        eventually("the fixed file is taken", () -> problems(carol).equals(none));
        assertThat(carol.metrics()).contains("tunnelmq_problems 0.0");
    }

    private static String problems(ConsoleHttp visitor) {
        try {
            return visitor.get("/console/api/problems").body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    @Test
    void failedLoginsAreSlowedLikeTheTunnels() throws Exception {
        startSecured(1_500);
        ConsoleHttp guesser = new ConsoleHttp(broker);
        CompletableFuture<HttpResponse<String>> guess = guesser.postAsync("/console/api/login",
                Map.of("user", "alice", "password", "guess"));
        // while the wrong guess's answer is held back, alice may not try again from there, not even with the password
        eventually("the address blocked", () -> {
            try {
                HttpResponse<String> r = new ConsoleHttp(broker).login("alice", "wonder land");
                return r.statusCode() == 429 && r.body().contains("too many failed logins");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(guess.get().statusCode()).isEqualTo(401);
    }

    @Test
    void aGuesserCannotTakeTurnsBetweenTheConsoleAndTheTunnel() throws Exception {
        startSecured(1_500);
        CompletableFuture<HttpResponse<String>> guess = new ConsoleHttp(broker).postAsync("/console/api/login",
                Map.of("user", "alice", "password", "guess"));
        // while the console holds the wrong guess's answer back, the tunnel refuses alice from there too
        eventually("the tunnel refuses alice", () -> tunnelLogin("alice", "wonder land")
                .contains("too many failed logins as user 'alice' from 127.0.0.1"));
        assertThat(guess.get().statusCode()).isEqualTo(401);
    }

    /** What the broker answers a tunnel login: "welcome", or the refusal's message. */
    private String tunnelLogin(String user, String password) {
        try (TestClient client = TestClient.connect(broker)) {
            client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
            return client.next() instanceof ErrorFrame refused ? refused.message() : "welcome";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void startSecured(long loginFailureDelayMillis) throws Exception {
        Path users = dir.resolve("users.properties");
        addUser(users, "alice", "wonder land");
        addUser(users, "bob", "builder");
        addUser(users, "carol", "root");
        addUser(users, "eve", "no rules");
        Path permissions = Files.writeString(dir.resolve("permissions.properties"), String.join("\n",
                "role.ops = alice",
                "role.apps = alice, bob",
                "role.root = carol",
                "queue.>.send,consume,browse,create = apps",
                "queue.orders.admin = ops",
                "queue.orders.>.admin = ops",
                "queue.DLQ.orders.admin = ops",
                "queue.>.admin = root", ""));
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort())
                        .withPermissionsFile(permissions)
                        .withPeerLimits(PeerLimits.DEFAULTS.withLoginFailureDelay(loginFailureDelayMillis,
                                Math.max(loginFailureDelayMillis, 1))),
                PasswordFile.load(users, false));
    }

    private static void addUser(Path users, String user, String password) {
        int code = PasswdCommand.run(new String[]{users.toString(), user},
                new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertThat(code).isZero();
    }

    private TestClient client() throws Exception {
        TestClient client = TestClient.connect(broker);
        client.hello(null, 0, Map.of());
        clients.add(client);
        return client;
    }

    private TestClient client(String user, String password) throws Exception {
        TestClient client = TestClient.connect(broker);
        client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
        client.expect(Welcome.class);
        clients.add(client);
        return client;
    }
}
