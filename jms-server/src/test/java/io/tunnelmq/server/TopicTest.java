package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Non-durable topic subscriptions, and the consumer kinds the broker does not support yet. */
@Timeout(30)
class TopicTest {
    private static final WireDestination NEWS = WireDestination.topic("news");

    private EmbeddedBroker broker;
    private TestClient publisher;
    private int pub;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        publisher = TestClient.open(broker);
        pub = publisher.openSession(false);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        broker.close();
    }

    @Test
    void everySubscriberGetsEveryMessage() throws Exception {
        try (TestClient a = TestClient.open(broker); TestClient b = TestClient.open(broker)) {
            int sa = a.openSession(false);
            int sb = b.openSession(false);
            a.createConsumer(sa, 1, NEWS, 10);
            b.createConsumer(sb, 1, NEWS, 10);

            publisher.sendMessage(pub, text(NEWS, "n1"));
            publisher.sendMessage(pub, text(NEWS, "n2"));

            for (TestClient client : List.of(a, b)) {
                int s = client == a ? sa : sb;
                Deliver first = client.awaitDelivery(s, 1);
                Deliver second = client.awaitDelivery(s, 1);
                assertThat(List.of(id(first), id(second))).containsExactly("n1", "n2");
                assertThat(first.message().destination()).isEqualTo(NEWS);
                client.settle(s, SettleOutcome.COMPLETE, first.lockToken(), second.lockToken());
            }
        }
        eventually("every copy settled", () -> broker.memoryUsed() == 0);
    }

    @Test
    void aPublishWithoutSubscribersIsAcceptedAndDropped() throws Exception {
        assertThat(publisher.sendMessage(pub, text(NEWS, "nobody listens")).freeBytes()).isPositive();
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void aNoLocalSubscriberSkipsItsOwnConnectionsMessages() throws Exception {
        long id = publisher.nextRequestId();
        publisher.request(new CreateConsumer(pub, id, 1, NEWS, null, true, null, false, false, 10), id);
        try (TestClient other = TestClient.open(broker)) {
            int s = other.openSession(false);
            publisher.sendMessage(pub, text(NEWS, "mine"));
            other.sendMessage(s, text(NEWS, "theirs"));
        }
        assertThat(id(publisher.awaitDelivery(pub, 1))).isEqualTo("theirs");
    }

    @Test
    void aClosedSubscriberGetsNoMoreCopiesButMaySettleWhatItReceived() throws Exception {
        try (TestClient sub = TestClient.open(broker)) {
            int s = sub.openSession(false);
            sub.createConsumer(s, 1, NEWS, 1);
            publisher.sendMessage(pub, text(NEWS, "n1"));
            publisher.sendMessage(pub, text(NEWS, "n2"));
            Deliver n1 = sub.awaitDelivery(s, 1);
            sub.closeConsumer(s, 1);

            publisher.sendMessage(pub, text(NEWS, "n3"));
            sub.settle(s, SettleOutcome.COMPLETE, n1.lockToken());

            eventually("n2 dropped with the subscription, n3 never copied", () -> broker.memoryUsed() == 0);
        }
    }

    @Test
    void unsharedDurableWithoutClientIdSelectorsAndUnknownTemporaryTopicsAreRefused() throws Exception {
        ErrorFrame durable = refuse(new CreateConsumer(pub, publisher.nextRequestId(), 1, NEWS, null, false, "sub",
                true, false, 10));
        ErrorFrame selector = refuse(new CreateConsumer(pub, publisher.nextRequestId(), 3,
                WireDestination.queue("q"), "color = ", false, null, false, false, 10));
        ErrorFrame temporary = refuse(new CreateConsumer(pub, publisher.nextRequestId(), 4,
                new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, "tmp.t1"), null, false, null, false, false, 10));

        assertThat(durable.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
        assertThat(durable.message()).contains("needs a client ID");
        assertThat(selector.code()).isEqualTo(ErrorCode.INVALID_SELECTOR);
        assertThat(selector.message()).isEqualTo("selector 'color = ' is invalid at position 8: expected an operand");
        assertThat(temporary.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(temporary.message()).contains("does not exist");
        // none of them was half-created: the ids are free
        publisher.createConsumer(pub, 1, NEWS, 1);
    }

    private ErrorFrame refuse(CreateConsumer request) throws Exception {
        return publisher.refused(request, request.requestId());
    }
}
