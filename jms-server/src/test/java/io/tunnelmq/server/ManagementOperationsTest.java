package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.management.ConnectionView;
import io.tunnelmq.server.management.DestinationView;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.management.MessageView;
import io.tunnelmq.server.management.MoveResult;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.store.FakeRecordLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The management operations end to end: JMS traffic, the operation, then what consumers receive. */
@Timeout(30)
class ManagementOperationsTest {
    private static final WireDestination A = WireDestination.queue("orders");
    private static final WireDestination B = WireDestination.queue("orders.retry");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EmbeddedBroker start(BrokerConfig config) {
        broker = EmbeddedBroker.start(config);
        open.add(broker);
        return broker;
    }

    private TestClient client(String clientId) throws IOException {
        TestClient client = TestClient.connect(broker);
        client.hello(clientId, 0, Map.of());
        open.add(client);
        return client;
    }

    private Management management() {
        return broker.management();
    }

    private static WireMessage message(WireDestination to, String id, String color, long deliveryTime,
                                       boolean persistent) {
        return new WireMessage(to, id, System.currentTimeMillis(), "corr-" + id, null, null, persistent, 4, 0,
                deliveryTime, Map.of("seq", id, "color", color), BodyType.TEXT,
                ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Receives {@code n} messages on a new consumer of {@code queue}, completing each. */
    private static List<Deliver> receive(TestClient client, WireDestination queue, int n) throws IOException {
        int s = client.openSession(false);
        client.createConsumer(s, 1, queue, 100);
        List<Deliver> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Deliver d = client.awaitDelivery(s, 1);
            client.settle(s, SettleOutcome.COMPLETE, d.lockToken());
            got.add(d);
        }
        return got;
    }

    private static List<String> ids(List<Deliver> delivered) {
        return delivered.stream().map(d -> d.message().messageId()).toList();
    }

    @Test
    void browseShowsAvailableLockedAndScheduledMessagesInDeliveryOrderWithTheLockOwner() throws Exception {
        start(BrokerFixture.config());
        TestClient producer = client(null);
        int out = producer.openSession(false);
        producer.sendMessage(out, message(A, "m1", "red", 0, false));
        producer.sendMessage(out, message(A, "m2", "blue", 0, false));
        producer.sendMessage(out, message(A, "m3", "red", System.currentTimeMillis() + 600_000, false));
        TestClient consumer = client("app1");
        int s = consumer.openSession(false);
        consumer.createConsumer(s, 1, A, 1);
        Deliver locked = consumer.awaitDelivery(s, 1);
        assertThat(locked.message().messageId()).isEqualTo("m1");

        List<MessageView> all = management().browse("orders", null, 10);

        assertThat(all).extracting(MessageView::messageId).containsExactly("m1", "m2", "m3");
        assertThat(all).extracting(MessageView::state).containsExactly("locked", "available", "scheduled");
        MessageView first = all.get(0);
        assertThat(first.lockOwner()).startsWith("connection ").contains("127.0.0.1:").contains("client ID app1");
        assertThat(first.lockMillisLeft()).isPositive();
        assertThat(first.type()).isEqualTo("Text");
        assertThat(first.bodyPreview()).isEqualTo("body of m1");
        assertThat(first.bodySize()).isEqualTo("body of m1".length());
        assertThat(first.correlationId()).isEqualTo("corr-m1");
        assertThat(first.properties()).containsEntry("color", "red");
        assertThat(first.deliveryCount()).isEqualTo(1);
        assertThat(all.get(1).lockOwner()).isNull();
        assertThat(all.get(1).lockMillisLeft()).isEqualTo(-1);

        assertThat(management().browse("orders", "color = 'red'", 10)).extracting(MessageView::messageId)
                .containsExactly("m1", "m3");
        assertThat(management().browse("orders", null, 2)).hasSize(2);
        assertThat(broker.queueStats("orders").locked()).isEqualTo(1); // browsing changed nothing
        assertThat(broker.queueStats("orders").available()).isEqualTo(1);
    }

    @Test
    void moveDeliversTheWaitingMessagesOnceInOrderAndLeavesLockedOnes() throws Exception {
        start(BrokerFixture.config());
        TestClient producer = client(null);
        int out = producer.openSession(false);
        for (int i = 1; i <= 5; i++) {
            producer.sendMessage(out, message(A, "a" + i, i % 2 == 0 ? "blue" : "red", 0, false));
        }
        TestClient holder = client(null);
        int hs = holder.openSession(false);
        holder.createConsumer(hs, 1, A, 1);
        assertThat(holder.awaitDelivery(hs, 1).message().messageId()).isEqualTo("a1");

        MoveResult moved = management().moveMessages("orders", "orders.retry", null, false);

        assertThat(moved).isEqualTo(new MoveResult(4, 1));
        assertThat(broker.queueStats("orders").depth()).isEqualTo(1);
        List<Deliver> got = receive(client(null), B, 4);
        assertThat(ids(got)).containsExactly("a2", "a3", "a4", "a5");
        assertThat(got).allSatisfy(d -> {
            assertThat(d.deliveryCount()).isEqualTo(1);
            assertThat(d.message().destination()).isEqualTo(B);
        });
        assertThat(got.get(0).message().properties()).containsEntry("color", "blue");
        assertThat(broker.queueStats("orders.retry").depth()).isZero();
    }

    @Test
    void copyWithASelectorLeavesTheOriginals() throws Exception {
        start(BrokerFixture.config());
        TestClient producer = client(null);
        int out = producer.openSession(false);
        for (int i = 1; i <= 4; i++) {
            producer.sendMessage(out, message(A, "a" + i, i % 2 == 0 ? "blue" : "red", 0, false));
        }

        assertThat(management().move("orders", "orders.retry", "color = 'blue'", true)).isEqualTo(2);

        assertThat(broker.queueDepth("orders")).isEqualTo(4);
        assertThat(ids(receive(client(null), B, 2))).containsExactly("a2", "a4");
        assertThat(ids(receive(client(null), A, 4))).containsExactly("a1", "a2", "a3", "a4");
    }

    @Test
    void replaySendsDeadLettersBackWithTheirCountResetAndWithoutTheDeadLetterProperties() throws Exception {
        start(BrokerFixture.config());
        TestClient client = client(null);
        int s = client.openSession(false);
        for (int i = 1; i <= 3; i++) {
            client.sendMessage(s, message(A, "d" + i, i == 2 ? "blue" : "red", 0, false));
        }
        client.createConsumer(s, 1, A, 10);
        for (int i = 0; i < 3; i++) {
            Deliver d = client.awaitDelivery(s, 1);
            long id = client.nextRequestId();
            client.request(new Settle(s, id, SettleOutcome.DEAD_LETTER, new long[] {d.lockToken()}, "bad"), id);
        }
        eventually("dead-lettered", () -> broker.queueDepth("DLQ.orders") == 3);
        assertThat(management().browse("DLQ.orders", null, 10).get(0).properties())
                .containsEntry(DeadLetters.ORIGINAL_DESTINATION, "orders");

        assertThat(management().replayDeadLetters("DLQ.orders", "color = 'red'")).isEqualTo(2);
        List<Deliver> first = new ArrayList<>();
        first.add(client.awaitDelivery(s, 1));
        first.add(client.awaitDelivery(s, 1));
        assertThat(ids(first)).containsExactly("d1", "d3");
        assertThat(first).allSatisfy(d -> {
            assertThat(d.deliveryCount()).isEqualTo(1);
            assertThat(d.message().destination()).isEqualTo(A);
            assertThat(d.message().properties()).doesNotContainKeys(DeadLetters.REASON,
                    DeadLetters.ORIGINAL_DESTINATION, DeadLetters.DELIVERY_COUNT).containsEntry("color", "red");
        });
        assertThat(management().replayDeadLetters("DLQ.orders", null)).isEqualTo(1);
        assertThat(ids(List.of(client.awaitDelivery(s, 1)))).containsExactly("d2");
        assertThat(broker.queueDepth("DLQ.orders")).isZero();
    }

    @Test
    void aPersistentMoveIsOneAtomicStoreWriteAndSurvivesARestart() throws Exception {
        FakeRecordLog.Disk disk = new FakeRecordLog.Disk();
        BrokerConfig config = BrokerFixture.config().withJournal(dir);
        broker = EmbeddedBroker.start(config, Authenticator.ALLOW_ALL, disk.opener());
        try (TestClient producer = TestClient.open(broker)) {
            int out = producer.openSession(false);
            producer.sendMessage(out, message(A, "p1", "red", 0, true));
            producer.sendMessage(out, message(A, "p2", "red", 0, true));
        }
        int before = disk.log().appends().size();

        assertThat(management().move("orders", "orders.retry", null, false)).isEqualTo(2);

        List<FakeRecordLog.Append> all = disk.log().appends();
        assertThat(StoreOps.describe(all.subList(before, all.size()), all))
                .containsExactly("sync add orders.retry p1, del p1, add orders.retry p2, del p2");
        broker.close();
        broker = EmbeddedBroker.start(config, Authenticator.ALLOW_ALL, disk.opener());
        open.add(broker);
        assertThat(broker.queueDepth("orders")).isZero();
        assertThat(ids(receive(client(null), B, 2))).containsExactly("p1", "p2");
    }

    @Test
    void badQueueNamesAndSelectorsAreRefusedClearly() {
        start(BrokerFixture.config());
        assertThatThrownBy(() -> management().browse("nope", null, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no queue 'nope'");
        assertThatThrownBy(() -> management().move("nope", "other", null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no queue 'nope'");
        assertThatThrownBy(() -> management().replayDeadLetters("DLQ.nope", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no queue 'DLQ.nope'");
    }

    @Test
    void invalidSelectorAndMoveOntoItselfAreRefused() throws Exception {
        start(BrokerFixture.config());
        TestClient producer = client(null);
        producer.sendMessage(producer.openSession(false), text(A, "x"));
        assertThatThrownBy(() -> management().browse("orders", "color = ", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid selector");
        assertThatThrownBy(() -> management().move("orders", "B", "((", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid selector");
        assertThatThrownBy(() -> management().move("orders", "orders", null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onto itself");
        String tooLong = "q".repeat(Protocol.MAX_NAME_BYTES + 1);
        assertThatThrownBy(() -> management().move("orders", tooLong, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may be at most 1024 bytes");
        assertThat(broker.destinations().findQueue(tooLong)).isEmpty();
        assertThatThrownBy(() -> management().move("orders", "B\r\nC", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may not contain control");
        assertThat(broker.destinations().findQueue("B\r\nC")).isEmpty();
        broker.destinations().queue("old\nname").enqueue(text(WireDestination.queue("old\nname"), "y")); // as recovered
        assertThat(management().move("old\nname", "B", null, false)).isEqualTo(1); // the operator's way out
        assertThat(broker.queueDepth("B")).isEqualTo(1);
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
    }

    @Test
    void connectionsAreListedWithTheirCountsAndCanBeClosed() throws Exception {
        start(BrokerFixture.config());
        TestClient client = client("app1");
        int s = client.openSession(false);
        client.createConsumer(s, 1, A, 10);
        client.sendMessage(s, text(A, "m1"));
        client.awaitDelivery(s, 1);

        List<ConnectionView> connections = management().openConnections();

        assertThat(connections).hasSize(1);
        ConnectionView c = connections.get(0);
        assertThat(c.clientId()).isEqualTo("app1");
        assertThat(c.address()).startsWith("127.0.0.1:");
        assertThat(c.sessions()).isEqualTo(1);
        assertThat(c.consumers()).isEqualTo(1);
        assertThat(c.bytesIn()).isPositive();
        assertThat(c.bytesOut()).isPositive();
        assertThat(c.openedAtMillis()).isPositive();
        assertThat(management().browse("orders", null, 1).get(0).lockOwner()).startsWith("connection " + c.id() + " ");

        assertThat(management().closeConnection(c.id() + 1000)).isFalse();
        assertThat(management().closeConnection(c.id())).isTrue();
        assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
        eventually("connection gone", () -> management().openConnections().isEmpty());
        eventually("its lock given back", () -> broker.queueStats("orders").available() == 1);
    }

    @Test
    void aDurableSubscriptionIsPurgedByItsNameAndStaysPurgedAfterARestart() throws Exception {
        BrokerConfig config = BrokerFixture.config().withJournal(dir);
        start(config);
        WireDestination news = WireDestination.topic("news");
        TestClient reader = client("app1");
        int s = reader.openSession(false);
        reader.createDurableConsumer(s, 2, news, "daily", 1);
        int p = reader.openSession(false);
        for (int i = 1; i <= 4; i++) {
            reader.sendMessage(p, message(news, "n" + i, "red", 0, true));
        }
        reader.awaitDelivery(s, 2); // n1, locked: its consumer has no more credit

        assertThat(management().purge("news:app1.daily")).as("the three waiting").isEqualTo(3);
        assertThat(management().browse("news:app1.daily", null, 10)).extracting(MessageView::messageId)
                .containsExactly("n1");
        reader.close();
        broker.close();
        start(config);
        assertThat(management().browse("news:app1.daily", null, 10)).as("the journal forgot them")
                .extracting(MessageView::messageId).containsExactly("n1");
    }

    @Test
    void destinationsListQueuesTopicsAndSubscriptionsWithTemporariesMarked() throws Exception {
        start(BrokerFixture.config());
        TestClient client = client("app1");
        int s = client.openSession(false);
        client.sendMessage(s, text(A, "m1"));
        long id = client.nextRequestId();
        WireDestination temp = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.x");
        client.request(new CreateTemporary(id, temp), id);
        client.sendMessage(s, text(temp, "t1"));
        long cid = client.nextRequestId();
        client.request(new CreateConsumer(s, cid, 2, WireDestination.topic("news"), null, false, "sub1", true, false,
                10, 0, List.of()), cid);

        List<DestinationView> views = management().destinations();

        assertThat(views).extracting(DestinationView::name).isSorted();
        assertThat(views).filteredOn(v -> v.name().equals("orders")).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo("queue");
            assertThat(v.temporary()).isFalse();
            assertThat(v.figures().stats().available()).isEqualTo(1);
        });
        assertThat(views).filteredOn(v -> v.name().equals("tmp.x")).singleElement()
                .satisfies(v -> assertThat(v.temporary()).isTrue());
        assertThat(views).filteredOn(v -> v.name().equals("news")).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo("topic");
            assertThat(v.figures()).isNull();
        });
        assertThat(views).filteredOn(v -> v.kind().equals("subscription")).singleElement()
                .satisfies(v -> assertThat(v.name()).isEqualTo("news:app1.sub1"));
    }
}
