package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two brokers over one PostgreSQL database serve the same queues and topics: what is sent through one is received,
 * browsed or published to subscribers through the other (frame level; the client's view is in jms-provider's
 * cluster tests).
 */
@Timeout(60)
class ClusterBrokersTest extends BrokerPairBase {
    private static final WireDestination Q = WireDestination.queue("orders");
    private static final WireDestination NEWS = WireDestination.topic("news");
    /** A client's first Hello: it may resume this connection through any broker with its key (failover). */
    private static final Map<String, Object> RESUMABLE = Map.of(Hello.OPTION_RESUME_KEY, "reader-key");

    @Test
    void aMessageSentThroughOneBrokerIsReceivedThroughTheOther() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            onA.sendMessage(sa, persistent(Q, "p1"));
            onA.sendMessage(sa, Messages.text(Q, "np1"));
            onB.createConsumer(sb, 1, Q, 10);
            Deliver first = onB.awaitDelivery(sb, 1);
            Deliver second = onB.awaitDelivery(sb, 1);
            assertThat(id(first) + "," + id(second)).isEqualTo("p1,np1");
            onB.settle(sb, SettleOutcome.COMPLETE, first.lockToken(), second.lockToken());
        }
    }

    @Test
    void aSubscriberOnOneBrokerGetsWhatIsPublishedThroughTheOther() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            onB.createConsumer(sb, 1, NEWS, 10); // answered once its subscription is in the database
            onA.sendMessage(sa, Messages.text(NEWS, "n1"));
            onA.sendMessage(sa, persistent(NEWS, "n2"));
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("n1");
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("n2");
        }
        BrokerFixture.eventually("the subscription left with its consumer",
                () -> PostgresFixture.count(db, "SELECT count(*) FROM tmq_subscriptions") == 0);
    }

    @Test
    void aTemporaryQueueOfOneBrokerTakesRepliesSentThroughTheOther() throws Exception {
        WireDestination replies = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.replies.1");
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            long create = onA.nextRequestId();
            onA.request(new CreateTemporary(create, replies), create); // answered once B can send to it
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            onA.createConsumer(sa, 1, replies, 10);
            onB.sendMessage(sb, Messages.text(replies, "r1"));
            onA.sendMessage(sa, Messages.text(replies, "r2")); // its own: straight to the queue
            List<String> got = List.of(id(onA.awaitDelivery(sa, 1)), id(onA.awaitDelivery(sa, 1)));
            assertThat(got).containsExactlyInAnyOrder("r1", "r2");
            long stranger = onB.nextRequestId();
            assertThat(onB.refused(new CreateConsumer(sb, stranger, 1, replies, null, false, null, false, false, 10, 0,
                    List.of()), stranger).message()).as("not B's connection's").contains("only the connection that"
                    + " created a temporary destination may consume from it");

            long delete = onA.nextRequestId();
            onA.send(new CloseConsumer(sa, onA.nextRequestId(), 1));
            BrokerFixture.eventually("consumer closed", () -> a.queueStats("tmp.replies.1").consumers() == 0);
            onA.request(new DeleteTemporary(delete, replies), delete);
            long late = onA.nextRequestId();
            assertThat(onA.refused(new Send(sa, late, Messages.text(replies, "late"), null), late).code())
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);
        }
        BrokerFixture.eventually("nothing left of it", () -> PostgresFixture.count(db,
                "SELECT count(*) FROM tmq_temporaries") == 0);
    }

    @Test
    void aProducerFailingOverResendsWhatTheOtherBrokerStoredAndItIsStoredOnce() throws Exception {
        UUID producer = UUID.randomUUID();
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            for (int i = 1; i <= 3; i++) {
                stampedSend(onA, sa, producer, i);
            }
            int sb = onB.openSession(false);
            stampedSend(onB, sb, producer, 3); // its answer from A was lost: resent through B
            stampedSend(onB, sb, producer, 4);
            onB.createConsumer(sb, 1, Q, 10);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(id(onB.awaitDelivery(sb, 1)));
            }
            assertThat(got).containsExactly("s1", "s2", "s3", "s4");
        }
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages")).isEqualTo(4);
    }

    private static void stampedSend(TestClient client, int session, UUID producer, long sequence) throws Exception {
        long id = client.nextRequestId();
        client.request(new Send(session, id, persistent(Q, "s" + sequence), new ProducerStamp(producer, sequence)),
                id);
    }

    @Test
    void aDurableSubscriptionMadeThroughOneBrokerIsConsumedAndRemovedThroughTheOther() throws Exception {
        String lost;
        try (TestClient reader = TestClient.connect(a)) {
            readDaily(reader, List.of(), RESUMABLE);
            lost = reader.welcome().connectionId();
        }
        try (TestClient onA = TestClient.open(a)) {
            onA.sendMessage(onA.openSession(false), persistent(NEWS, "n1"));
        }
        BrokerFixture.eventually("B learned of the subscription", () -> b.destinations().subscriptions().size() == 1);
        try (TestClient reader = TestClient.connect(b)) { // the reader failed over to B
            int s = readDaily(reader, List.of(), resuming(lost));
            Deliver d = reader.awaitDelivery(s, 1);
            assertThat(id(d)).isEqualTo("n1");
            reader.settle(s, SettleOutcome.COMPLETE, d.lockToken());
            reader.closeConsumer(s, 1);
            long unsubscribe = reader.nextRequestId();
            reader.request(new Unsubscribe(s, unsubscribe, "daily"), unsubscribe);
        }
        BrokerFixture.eventually("A forgot it too", () -> a.destinations().subscriptions().size() == 0);
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_subscriptions")).isZero();
    }

    @Test
    void aNoLocalDurableSubscriptionSkipsWhatTheConnectionConsumingNowPublishes() throws Exception {
        try (TestClient first = TestClient.connect(a)) {
            first.hello("app", 0, Map.of());
            int s = first.openSession(false);
            first.createDurableConsumer(s, 1, NEWS, "remote-only", null, true, 10);
            first.closeConsumer(s, 1);
        }
        BrokerFixture.eventually("the client ID is free again", Duration.ofSeconds(10),
                () -> a.management().connections() == 0);
        try (TestClient second = TestClient.connect(a); TestClient other = TestClient.open(b)) {
            second.hello("app", 0, Map.of());
            int s = second.openSession(false);
            // the subscription follows its consumer to this connection
            second.createDurableConsumer(s, 1, NEWS, "remote-only", null, true, 10);
            int o = other.openSession(false);
            second.sendMessage(s, persistent(NEWS, "own"));
            other.sendMessage(o, persistent(NEWS, "theirs"));
            assertThat(id(second.awaitDelivery(s, 1))).as("not its own, published first").isEqualTo("theirs");
        }
    }

    @Test
    void anExpiredMessageOfAQueueNobodyConsumesIsRemovedFromTheDatabase() throws Exception {
        WireMessage fading = new WireMessage(Q, "fading", 0, null, null, null, true, 4,
                System.currentTimeMillis() + 300, 0, Map.of(), BodyType.TEXT, "x".getBytes());
        try (TestClient onA = TestClient.open(a)) {
            int s = onA.openSession(false);
            onA.sendMessage(s, fading);
            onA.sendMessage(s, persistent(Q, "lasting"));
        }
        BrokerFixture.eventually("removed by a broker's expiry sweep", Duration.ofSeconds(15),
                () -> PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages") == 1);
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            onB.createConsumer(s, 1, Q, 10);
            assertThat(id(onB.awaitDelivery(s, 1))).isEqualTo("lasting");
        }
    }

    @Test
    void competingSelectiveConsumersOnTwoBrokersEachFindTheirOwnBehindTheOthers() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            for (int i = 0; i < 150; i++) {
                onA.sendMessage(sa, colored("blue" + i, "blue"));
            }
            onA.sendMessage(sa, colored("red", "red"));
            onA.send(new CreateConsumer(sa, onA.nextRequestId(), 1, Q, "color = 'blue'", false, null, false, false,
                    1));
            onB.send(new CreateConsumer(sb, onB.nextRequestId(), 1, Q, "color = 'red'", false, null, false, false,
                    1));
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("red");
            assertThat(id(onA.awaitDelivery(sa, 1))).startsWith("blue");
        }
    }

    @Test
    void aMessageCompletedThroughABrokerIsNotBrowsedThroughItWhileItsDeleteIsOnItsWay() throws Exception {
        try (TestClient onA = TestClient.open(a)) {
            int s = onA.openSession(false);
            onA.sendMessage(s, persistent(Q, "m0"));
            onA.sendMessage(s, persistent(Q, "m1"));
            onA.createConsumer(s, 1, Q, 1);
            Deliver first = onA.awaitDelivery(s, 1);
            onA.settleAndForget(s, SettleOutcome.COMPLETE, first.lockToken()); // its delete goes lazily
            long id = onA.nextRequestId();
            onA.send(new Browse(s, id, Q, null, 0, 10, 0)); // after the settle, on the same session
            Browsed page = onA.await(Browsed.class, f -> f.requestId() == id);
            assertThat(page.messages()).extracting(WireMessage::messageId).containsExactly("m1");
        }
    }

    @Test
    void aMessageAConsumerSawBeforeFailingOverComesAgainFlaggedThroughTheOtherBroker() throws Exception {
        try (TestClient onA = TestClient.open(a)) {
            int s = onA.openSession(false);
            onA.sendMessage(s, persistent(Q, "seen"));
            onA.createConsumer(s, 1, Q, 1);
            assertThat(id(onA.awaitDelivery(s, 1))).isEqualTo("seen");
            onA.abort(); // lost before its application's TAKEN reached A: A gives it back unseen, count 1
        }
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            long id = onB.nextRequestId();
            onB.request(new CreateConsumer(s, id, 1, Q, null, false, null, false, false, 1, 0, List.of("seen")), id);
            Deliver again = onB.awaitDelivery(s, 1);
            assertThat(id(again) + "@" + again.deliveryCount()).isEqualTo("seen@2");
        }
    }

    @Test
    void aPublicationADurableSubscriberSawBeforeFailingOverComesAgainFlaggedThroughTheOtherBroker() throws Exception {
        String lost;
        try (TestClient reader = TestClient.connect(a)) {
            int s = readDaily(reader, List.of(), RESUMABLE);
            lost = reader.welcome().connectionId();
            try (TestClient onA = TestClient.open(a)) {
                onA.sendMessage(onA.openSession(false), persistent(NEWS, "seen"));
            }
            assertThat(id(reader.awaitDelivery(s, 1))).isEqualTo("seen");
            reader.abort(); // lost before its application's TAKEN reached A: A gives it back unseen, count 1
        }
        BrokerFixture.eventually("B learned of the subscription", () -> b.destinations().subscriptions().size() == 1);
        try (TestClient reader = TestClient.connect(b)) {
            int s = readDaily(reader, List.of("seen"), resuming(lost));
            Deliver again = reader.awaitDelivery(s, 1);
            assertThat(id(again) + "@" + again.deliveryCount()).isEqualTo("seen@2");
        }
    }

    @Test
    void aSharedSubscriptionIsOneForItsConsumersOnEveryBroker() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            long id = onA.nextRequestId();
            onA.request(sharedConsumer(sa, id, 1, NEWS), id);
            id = onB.nextRequestId();
            onB.request(sharedConsumer(sb, id, 1, NEWS), id);
            assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_subscriptions")).isEqualTo(1);
            onA.sendMessage(sa, Messages.text(NEWS, "n1"));
            onA.sendMessage(sa, Messages.text(NEWS, "n2"));
            // one copy each, and a consumer takes one at a time (credit 1): one went to each broker
            Deliver toA = onA.awaitDelivery(sa, 1);
            Deliver toB = onB.awaitDelivery(sb, 1);
            assertThat(List.of(id(toA), id(toB))).containsExactlyInAnyOrder("n1", "n2");
            onA.settle(sa, SettleOutcome.COMPLETE, toA.lockToken());
            id = onA.nextRequestId();
            onA.request(new CloseConsumer(sa, id, 1), id); // B still holds it
            onA.sendMessage(sa, Messages.text(NEWS, "n3"));
            onB.settle(sb, SettleOutcome.COMPLETE, toB.lockToken());
            onB.send(new Credit(sb, 1, 1));
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("n3");
            // the name is in use through B for topic news: not for another topic through A
            id = onA.nextRequestId();
            ErrorFrame refused = onA.refused(sharedConsumer(sa, id, 2, WireDestination.topic("sports")), id);
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
            assertThat(refused.message()).contains("through another broker");
        }
        BrokerFixture.eventually("the subscription went with its last consumer",
                () -> PostgresFixture.count(db, "SELECT count(*) FROM tmq_subscriptions") == 0);
    }

    /** The Hello of a client that failed over from connection {@code lost}: it takes its client ID over. */
    private static Map<String, Object> resuming(String lost) {
        return Map.of(Hello.OPTION_RESUME, lost, Hello.OPTION_RESUME_KEY, "reader-key");
    }

    private static CreateConsumer sharedConsumer(int session, long requestId, int consumerId, WireDestination topic) {
        return new CreateConsumer(session, requestId, consumerId, topic, null, false, "workers", false, true, 1);
    }

    private static WireMessage colored(String id, String color) {
        return new WireMessage(Q, id, 0, null, null, null, true, 4, 0, 0, Map.of("color", color), BodyType.TEXT,
                id.getBytes());
    }

    @Test
    void aQueueIsBrowsedThroughABrokerThatHoldsNoneOfItsMessages() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            for (int i = 0; i < 5; i++) {
                onA.sendMessage(sa, persistent(Q, "m" + i));
            }
            onA.createConsumer(sa, 1, Q, 1); // A claims and locks the first: a browser sees it still
            onA.awaitDelivery(sa, 1);
            long id = onB.nextRequestId();
            onB.send(new Browse(sb, id, Q, null, 0, 10, 0));
            Browsed page = onB.await(Browsed.class, f -> f.requestId() == id);
            assertThat(page.messages()).extracting(WireMessage::messageId)
                    .containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(page.last()).isTrue();
        }
    }

    /**
     * Logs in as client "reader" with the Hello {@code options} and opens consumer 1 of its durable subscription "daily"
     * to {@link #NEWS}, naming {@code seen} as seen on an earlier connection. @return the consumer's session
     */
    private static int readDaily(TestClient reader, List<String> seen, Map<String, Object> options)
            throws IOException {
        reader.hello("reader", 0, options);
        int s = reader.openSession(false);
        long id = reader.nextRequestId();
        reader.request(new CreateConsumer(s, id, 1, NEWS, null, false, "daily", true, false, 10, 0, seen), id);
        return s;
    }
}
