package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.AdminOperation;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.management.AdminAuthority;
import io.tunnelmq.server.management.AdminCommands;
import io.tunnelmq.server.management.AdminTable;
import io.tunnelmq.server.management.DestinationView;
import io.tunnelmq.server.management.MessageView;
import io.tunnelmq.server.management.MoveResult;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An operator's view of brokers over a shared database: the metrics say what the database holds, not only what this
 * broker claimed, and a purge on one broker purges the queue on all of them, as on a single broker.
 */
@Timeout(60)
class ClusterOperationsTest extends BrokerPairBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORDERS_ROWS = "SELECT count(*) FROM tmq_messages WHERE queue_name = 'orders'";

    @Test
    void theClusterBacklogAndItsBrokersAreMetrics() throws Exception {
        WireDestination replies = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.replies.1");
        try (TestClient onB = TestClient.open(b); TestClient onA = TestClient.open(a)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 3);
            long create = onB.nextRequestId();
            onB.request(new CreateTemporary(create, replies), create);
            int sa = onA.openSession(false);
            onA.sendMessage(sa, persistent(replies, "r1")); // stored for B, whose connection's queue it is
            onA.sendMessage(sa, persistent(replies, "r2"));

            ConsoleHttp console = new ConsoleHttp(a);
            BrokerFixture.eventually("A's metrics show the messages sent through B", WAIT, () -> {
                String body = console.metrics();
                return body.contains("tunnelmq_cluster_queue_messages{queue=\"orders\",type=\"queue\"} 3.0")
                        && body.contains("tunnelmq_cluster_queue_messages_claimed{queue=\"orders\",type=\"queue\"} 0.0")
                        && body.contains("tunnelmq_cluster_brokers 2.0");
            });
            assertThat(console.metrics()).as("B's temporary queue, in the series of every temporary queue")
                    .contains("tunnelmq_cluster_queue_messages{queue=\"(temporary)\",type=\"temporary\"} 2.0")
                    .doesNotContain("tmp.replies.1");
            assertThat(a.management().destinations()).extracting(DestinationView::name).as("B's connection's")
                    .contains("orders").doesNotContain("tmp.replies.1");
        }
    }

    @Test
    void aPurgeOnABrokerWithoutTheQueueRemovesWhatEveryBrokerHoldsWaitingButNotWhatConsumersHold() throws Exception {
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 100);
            onB.sendMessage(s, persistent(WireDestination.queue("invoices"), "i1"));
            List<Deliver> taken = consume(onB, s, 3);
            Deliver first = taken.get(0);
            Deliver second = taken.get(1);
            Deliver third = taken.get(2);
            onB.settle(s, SettleOutcome.ABANDON, third.lockToken()); // waiting on B again: its consumer has no credit
            assertThat(waiting(b)).isEqualTo(1);
            storeElsewhere(onB, s);
            long unclaimed = PostgresFixture.count(db, ORDERS_ROWS) - 3;

            assertThat(a.management().purge("orders")).as("a has no queue 'orders': what it took from the store")
                    .isEqualTo((int) unclaimed);
            BrokerFixture.eventually("B drops what it claimed", WAIT, () -> waiting(b) == 0);
            assertThat(orders(b).locked()).as("the consumer's messages stay").isEqualTo(2);
            BrokerFixture.eventually("the store holds the consumer's messages only", WAIT,
                    () -> PostgresFixture.count(db, ORDERS_ROWS) == 2);
            assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = 'invoices'"))
                    .isEqualTo(1);

            onB.settle(s, SettleOutcome.COMPLETE, first.lockToken(), second.lockToken());
            BrokerFixture.eventually("completed", WAIT, () -> PostgresFixture.count(db, ORDERS_ROWS) == 0);
        }
        assertThatThrownBy(() -> a.management().purge("no.such.queue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.queue");
    }

    @Test
    void aPurgeOnTheBrokerHoldingMessagesCountsAndDropsThemBeforeItAnswers() throws Exception {
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 10);
            List<Deliver> taken = consume(onB, s, 2);
            onB.settle(s, SettleOutcome.ABANDON, taken.get(1).lockToken()); // waiting on b again

            assertThat(b.management().purge("orders")).as("8 from the store, 1 from b").isEqualTo(9);
            assertThat(waiting(b)).isZero();
            assertThat(orders(b).locked()).isEqualTo(1);
        }
    }

    @Test
    void aBrowseListsWhatTheBrokerHoldsThenWhatTheStoreHoldsForOthersOnABrokerWithoutTheQueueToo() throws Exception {
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 5);
            consume(onB, s, 1);

            assertThat(b.management().browse("orders", null, 10)).extracting(v -> v.messageId() + " " + v.state())
                    .containsExactly("m0 locked", "m1 stored", "m2 stored", "m3 stored", "m4 stored");
            assertThat(a.management().browse("orders", null, 10)).extracting(v -> v.messageId() + " " + v.state())
                    .containsExactly("m0 stored", "m1 stored", "m2 stored", "m3 stored", "m4 stored");
            assertThat(a.management().browse("orders", "seq = 'm3'", 10)).extracting(MessageView::messageId)
                    .containsExactly("m3");
            assertThat(a.management().browse("orders", null, 2)).extracting(MessageView::messageId)
                    .containsExactly("m0", "m1");
        }
    }

    @Test
    void aMoveACopyAndAReplayTakeTheStoresMessagesTooAndLeaveTheRestClaimable() throws Exception {
        try (TestClient onB = TestClient.open(b); TestClient onA = TestClient.open(a)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 6);
            consume(onB, s, 1); // m0, held by b: it stays

            MoveResult moved = a.management().moveMessages("orders", "archive", "seq <> 'm3'", false);
            assertThat(moved.moved()).isEqualTo(4);
            assertThat(rows("archive")).isEqualTo(4);
            assertThat(rows("orders")).isEqualTo(2);
            assertThat(a.management().moveMessages("orders", "backup", null, true).moved()).as("m3; m0 is b's")
                    .isEqualTo(1);
            assertThat(rows("orders")).isEqualTo(2);
            assertThat(rows("backup")).isEqualTo(1);

            int onASession = onA.openSession(false);
            onA.createConsumer(onASession, 1, WireDestination.queue("orders"), 5);
            assertThat(onA.awaitDelivery(onASession, 1).message().messageId()).as("not chosen, not declined for good")
                    .isEqualTo("m3");

            Map<String, Object> deadLetter = Map.of(DeadLetters.ORIGINAL_DESTINATION, "invoices");
            onB.sendMessage(s, new WireMessage(WireDestination.queue("DLQ.invoices"), "d1", 0, null, null, null, true,
                    4, 0, 0, deadLetter, BodyType.TEXT, "dead".getBytes(StandardCharsets.UTF_8)));
            assertThat(a.management().replay("DLQ.invoices", null).moved()).isEqualTo(1);
            assertThat(rows("invoices")).isEqualTo(1);
            assertThat(rows("DLQ.invoices")).isZero();
        }
    }

    @Test
    void aMoveOfMoreThanAPageTakesEveryPage() throws Exception {
        try (TestClient onB = TestClient.open(b)) {
            sendOrders(onB, onB.openSession(false), 520);
        }
        assertThat(a.management().moveMessages("orders", "archive", null, false).moved()).isEqualTo(520);
        assertThat(rows("archive")).isEqualTo(520);
        assertThat(rows("orders")).isZero();
    }

    @Test
    void aQueueDeletedOnOneBrokerTakesItsWaitingMessagesOnEveryBroker() throws Exception {
        try (TestClient onB = TestClient.open(b); TestClient onA = TestClient.open(a)) {
            int s = onB.openSession(false);
            sendOrders(onB, s, 5);
            List<Deliver> taken = consume(onB, s, 2);
            Deliver first = taken.get(0);
            Deliver second = taken.get(1);
            onB.settle(s, SettleOutcome.ABANDON, second.lockToken()); // waiting on b again
            storeElsewhere(onB, s);
            onA.sendMessage(onA.openSession(false), persistent(WireDestination.queue("orders"), "m5"));

            a.management().deleteQueue("orders");

            assertThat(a.management().queueFigures("orders").map(f -> f.stats().depth()).orElse(0L))
                    .as("nothing of it here (the store may list it: b's consumer holds a message)").isZero();
            BrokerFixture.eventually("b drops what it claimed", WAIT, () -> waiting(b) == 0);
            BrokerFixture.eventually("only b's consumer's message is left", WAIT, () -> rows("orders") == 1);
            onB.settle(s, SettleOutcome.COMPLETE, first.lockToken());
        }
    }

    @Test
    void theConsoleOfABrokerWithoutTheQueueListsItWithWhatTheStoreHoldsAndShowsItsMessages() throws Exception {
        try (TestClient onB = TestClient.open(b)) {
            sendOrders(onB, onB.openSession(false), 3);
        }
        ConsoleHttp console = new ConsoleHttp(a);
        BrokerFixture.eventually("a's console lists orders with the store's 3 messages", WAIT, () -> {
            try {
                return console.get("/console/api/queues").body()
                        .contains("{\"name\":\"orders\",\"kind\":\"queue\",\"held\":0,");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(console.get("/console/api/queues").body()).contains("\"stored\":3");
        assertThat(console.get("/console/api/queue?name=orders").body()).contains("\"stored\":3");
        String messages = console.get("/console/api/messages?queue=orders&max=50").body();
        assertThat(messages).contains("\"m0\"", "\"m1\"", "\"m2\"").contains("\"state\":\"stored\"");

        AdminTable queues = new AdminCommands(a.management()).run(AdminOperation.QUEUES, Map.of(), AdminAuthority.ALL);
        assertThat(queues.columns()).endsWith("stored");
        assertThat(queues.rows()).anySatisfy(row -> assertThat(row).startsWith("orders", "queue", "no", "0")
                .endsWith("3"));
    }

    private long rows(String queue) {
        return PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = '" + queue + "'");
    }

    /** A consumer of orders (consumer id 1) with {@code credit}, and the deliveries that credit brings. */
    private static List<Deliver> consume(TestClient client, int session, int credit) throws Exception {
        client.createConsumer(session, 1, WireDestination.queue("orders"), credit);
        List<Deliver> taken = new ArrayList<>();
        for (int i = 0; i < credit; i++) {
            taken.add(client.awaitDelivery(session, 1));
        }
        return taken;
    }

    /**
     * Stores messages on another queue, a commit each. A broker told of a purge keeps a message that waited again less
     * than a round trip to the database before the purge (it cannot tell it from one locked then and abandoned since),
     * so a message a test makes wait before a purge waits many round trips before it.
     */
    private static void storeElsewhere(TestClient client, int session) throws Exception {
        for (int i = 0; i < 20; i++) {
            client.sendMessage(session, persistent(WireDestination.queue("elsewhere"), "e" + i));
        }
    }

    private static void sendOrders(TestClient client, int session, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            client.sendMessage(session, persistent(WireDestination.queue("orders"), "m" + i));
        }
    }

    private static long waiting(EmbeddedBroker broker) {
        return orders(broker).available() + orders(broker).scheduled();
    }

    private static QueueStats orders(EmbeddedBroker broker) {
        return broker.management().queueFigures("orders").orElseThrow().stats();
    }
}
