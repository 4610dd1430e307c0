package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.queue.DeadLetters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Point-to-point messaging over real sockets: order, competing consumers, settlement, expiry, dead letters. */
@Timeout(30)
class QueueMessagingTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    private EmbeddedBroker broker;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config().withQueueOverride("poison", 0, 2));
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        broker.close();
    }

    private TestClient client() throws Exception {
        TestClient client = TestClient.open(broker);
        clients.add(client);
        return client;
    }

    @Test
    void aThousandMessagesArriveInOrder() throws Exception {
        TestClient producer = client();
        int out = producer.openSession(false);
        // pipelined: all sends first, then all answers
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long id = producer.nextRequestId();
            ids.add(id);
            producer.send(new Send(out, id, text(ORDERS, "m" + i)));
        }
        for (long id : ids) {
            assertThat(producer.answer(id)).isInstanceOf(Ok.class);
        }

        TestClient consumer = client();
        int in = consumer.openSession(false);
        consumer.createConsumer(in, 1, ORDERS, 100);
        for (int i = 0; i < 1000; i++) {
            Deliver d = consumer.awaitDelivery(in, 1);
            assertThat(id(d)).isEqualTo("m" + i);
            assertThat(d.deliveryCount()).isEqualTo(1);
            consumer.settleAndForget(in, SettleOutcome.COMPLETE, d.lockToken());
            if (i % 50 == 49) {
                consumer.send(new Credit(in, 1, 50));
            }
        }
        eventually("queue drained", () -> broker.queueDepth("orders") == 0);
        assertThat(broker.queueStats("orders").delivered()).isEqualTo(1000);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void aCompetingConsumerGetsTheNextMessageWhileTheFirstHoldsItsLock() throws Exception {
        TestClient producer = client();
        int out = producer.openSession(false);
        producer.sendMessage(out, text(ORDERS, "m1"));
        producer.sendMessage(out, text(ORDERS, "m2"));
        TestClient first = client();
        int a = first.openSession(false);
        first.createConsumer(a, 1, ORDERS, 1);
        Deliver held = first.awaitDelivery(a, 1);

        TestClient second = client();
        int b = second.openSession(false);
        second.createConsumer(b, 1, ORDERS, 10);

        assertThat(id(held)).isEqualTo("m1");
        assertThat(id(second.awaitDelivery(b, 1))).isEqualTo("m2");
        assertThat(broker.queueStats("orders").locked()).isEqualTo(2);
    }

    @Test
    void completeAbandonAndReleaseSettleAsPromised() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        for (String id : List.of("a", "b", "c")) {
            client.sendMessage(s, text(ORDERS, id));
        }
        client.createConsumer(s, 1, ORDERS, 3);
        Deliver a = client.awaitDelivery(s, 1);
        Deliver b = client.awaitDelivery(s, 1);
        Deliver c = client.awaitDelivery(s, 1);

        Ok ok = client.settle(s, SettleOutcome.COMPLETE, a.lockToken());
        assertThat(ok.freeBytes()).isPositive();
        client.settle(s, SettleOutcome.ABANDON, b.lockToken());
        client.settle(s, SettleOutcome.RELEASE, c.lockToken());
        client.send(new Credit(s, 1, 2));

        Deliver b2 = client.awaitDelivery(s, 1);
        Deliver c2 = client.awaitDelivery(s, 1);
        assertThat(List.of(id(b2), b2.deliveryCount(), id(c2), c2.deliveryCount()))
                .containsExactly("b", 2, "c", 1);
        assertThat(broker.queueStats("orders").depth()).isEqualTo(2);
    }

    @Test
    void settlingAnUnknownOrForeignTokenIsRefusedAndChangesNothing() throws Exception {
        TestClient owner = client();
        int s = owner.openSession(false);
        owner.sendMessage(s, text(ORDERS, "m1"));
        owner.createConsumer(s, 1, ORDERS, 1);
        Deliver d = owner.awaitDelivery(s, 1);
        TestClient stranger = client();
        int t = stranger.openSession(false);

        long id1 = stranger.nextRequestId();
        ErrorFrame foreign = stranger.refused(new Settle(t, id1, SettleOutcome.COMPLETE,
                new long[]{d.lockToken()}, null), id1);
        long id2 = owner.nextRequestId();
        ErrorFrame unknown = owner.refused(new Settle(s, id2, SettleOutcome.COMPLETE,
                new long[]{424242, d.lockToken()}, null), id2);

        assertThat(foreign.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(unknown.message()).contains("424242");
        // the valid token in the same request was still completed
        eventually("m1 completed", () -> broker.queueDepth("orders") == 0);
    }

    @Test
    void anExpiredLockIsRedeliveredAndSettlingItLateSaysSo() throws Exception {
        TestClient client = TestClient.connect(broker);
        clients.add(client);
        client.hello(null, 0, Map.of("lockDuration", 150L));
        int s = client.openSession(false);
        client.sendMessage(s, text(ORDERS, "m1"));
        client.createConsumer(s, 1, ORDERS, 2);
        Deliver first = client.awaitDelivery(s, 1);
        assertThat(first.lockedUntil() - System.currentTimeMillis()).as("the client's lock duration applies")
                .isLessThanOrEqualTo(150L);
        client.settleAndForget(s, SettleOutcome.TAKEN, first.lockToken()); // the application has it

        Deliver again = client.awaitDelivery(s, 1);

        assertThat(again.deliveryCount()).isEqualTo(2);
        long id = client.nextRequestId();
        ErrorFrame late = client.refused(new Settle(s, id, SettleOutcome.COMPLETE, new long[]{first.lockToken()},
                null), id);
        assertThat(late.code()).isEqualTo(ErrorCode.LOCK_EXPIRED);
        client.settle(s, SettleOutcome.COMPLETE, again.lockToken());
    }

    @Test
    void aMessageAbandonedMaxDeliveryCountTimesGoesToTheDeadLetterQueue() throws Exception {
        WireDestination poison = WireDestination.queue("poison");
        TestClient client = client();
        int s = client.openSession(false);
        client.sendMessage(s, text(poison, "p1"));
        client.createConsumer(s, 1, poison, 10);
        client.settle(s, SettleOutcome.ABANDON, client.awaitDelivery(s, 1).lockToken());
        client.settle(s, SettleOutcome.ABANDON, client.awaitDelivery(s, 1).lockToken());

        client.createConsumer(s, 2, WireDestination.queue("DLQ.poison"), 10);
        Deliver dead = client.awaitDelivery(s, 2);

        assertThat(id(dead)).isEqualTo("p1");
        assertThat(dead.message().destination()).isEqualTo(WireDestination.queue("DLQ.poison"));
        assertThat(dead.message().properties())
                .containsEntry(DeadLetters.REASON, "MaxDeliveryCountExceeded: delivered 2 times")
                .containsEntry(DeadLetters.ORIGINAL_DESTINATION, "poison")
                .containsEntry(DeadLetters.DELIVERY_COUNT, 2);
        assertThat(broker.queueDepth("poison")).isZero();
    }

    @Test
    void aClientCanDeadLetterWithAReasonAndRenewALock() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.sendMessage(s, text(ORDERS, "bad"));
        client.createConsumer(s, 1, ORDERS, 10);
        Deliver d = client.awaitDelivery(s, 1);
        long renew = client.nextRequestId();
        client.send(new Settle(s, renew, SettleOutcome.RENEW, new long[]{d.lockToken()}, null));
        assertThat(client.await(LocksRenewed.class, r -> r.requestId() == renew).lockedUntil()[0]).isPositive();
        long id = client.nextRequestId();
        client.request(new Settle(s, id, SettleOutcome.DEAD_LETTER, new long[]{d.lockToken()}, "unparseable"), id);

        eventually("dead-lettered", () -> broker.queueDepth("DLQ.orders") == 1);
        assertThat(broker.queueDepth("orders")).isZero();
    }

    @Test
    void sendingToATemporaryQueueThatDoesNotExistIsRefused() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        WireDestination temporary = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1");
        long id = client.nextRequestId();
        ErrorFrame answer = client.refused(new Send(s, id, text(temporary, "x")), id);
        assertThat(answer.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(answer.message()).contains("does not exist");
        client.sendMessage(s, text(ORDERS, "the session carries on"));
    }
}
