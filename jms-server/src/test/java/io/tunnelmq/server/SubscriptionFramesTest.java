package io.tunnelmq.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.FrameType;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The broker's side of durable subscriptions, temporary destinations and browsing, frame by frame. */
@Timeout(30)
class SubscriptionFramesTest {
    private static final WireDestination NEWS = WireDestination.topic("news");
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private TestClient withClientId(String clientId) throws Exception {
        TestClient client = TestClient.connect(broker);
        client.hello(clientId, 0, Map.of());
        return client;
    }

    private static CreateConsumer durable(int channel, long requestId, int consumerId, String name) {
        return new CreateConsumer(channel, requestId, consumerId, NEWS, null, false, name, true, false, 10);
    }

    @Test
    void aDurableSubscriptionKeepsMessagesAcrossConnectionsUntilUnsubscribed() throws Exception {
        try (TestClient publisher = TestClient.open(broker)) {
            int pub = publisher.openSession(false);
            try (TestClient first = withClientId("reader")) {
                int s = first.openSession(false);
                long id = first.nextRequestId();
                first.request(durable(s, id, 1, "daily"), id);
                long unsubscribe = first.nextRequestId();
                ErrorFrame busy = first.refused(new Unsubscribe(s, unsubscribe, "daily"), unsubscribe);
                assertThat(busy.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
            }
            // the client ID is free again once the broker noticed the first connection went (and abandoned its
            // consumer): only then publish, so the message is not delivered to the consumer that went away
            TestClient again = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (again == null) {
                try {
                    again = withClientId("reader");
                } catch (AssertionError | java.io.IOException stillInUse) {
                    assertThat(System.nanoTime()).as("client ID released in time").isLessThan(deadline);
                }
            }
            publisher.sendMessage(pub, text(NEWS, "n1"));
            try (TestClient second = again) {
                int s = second.openSession(false);
                long id = second.nextRequestId();
                second.request(durable(s, id, 1, "daily"), id);
                Deliver d = second.awaitDelivery(s, 1);
                assertThat(id(d)).isEqualTo("n1");
                assertThat(d.deliveryCount()).isEqualTo(1);

                second.closeConsumer(s, 1);
                long unsettled = second.nextRequestId();
                assertThat(second.refused(new Unsubscribe(s, unsettled, "daily"), unsettled).message())
                        .as("its delivered message is still locked").contains("not acknowledged");
                second.settle(s, SettleOutcome.COMPLETE, d.lockToken());
                long unsubscribe = second.nextRequestId();
                second.request(new Unsubscribe(s, unsubscribe, "daily"), unsubscribe);
                long twice = second.nextRequestId();
                ErrorFrame unknown = second.refused(new Unsubscribe(s, twice, "daily"), twice);
                assertThat(unknown.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
                assertThat(unknown.message()).contains("daily");
            }
        }
    }

    @Test
    void temporaryDestinationsBelongToTheirConnection() throws Exception {
        WireDestination temp = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.queue.a.1");
        try (TestClient owner = TestClient.open(broker); TestClient other = TestClient.open(broker)) {
            int so = owner.openSession(false);
            int st = other.openSession(false);
            long create = owner.nextRequestId();
            owner.request(new CreateTemporary(create, temp), create);

            long dup = other.nextRequestId();
            assertThat(other.refused(new CreateTemporary(dup, temp), dup).code())
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);
            long foreign = other.nextRequestId();
            ErrorFrame refused = other.refused(new CreateConsumer(st, foreign, 1, temp, null, false, null, false,
                    false, 10), foreign);
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(refused.message()).contains("only the connection that created");
            long foreignDelete = other.nextRequestId();
            assertThat(other.refused(new DeleteTemporary(foreignDelete, temp), foreignDelete).code())
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);

            other.sendMessage(st, text(temp, "request"));
            owner.createConsumer(so, 1, temp, 10);
            assertThat(id(owner.awaitDelivery(so, 1))).isEqualTo("request");

            long busy = owner.nextRequestId();
            assertThat(owner.refused(new DeleteTemporary(busy, temp), busy).code())
                    .isEqualTo(ErrorCode.ILLEGAL_STATE);
            owner.closeConsumer(so, 1);
            long delete = owner.nextRequestId();
            owner.request(new DeleteTemporary(delete, temp), delete);

            long late = other.nextRequestId();
            ErrorFrame gone = other.refused(new Send(st, late, text(temp, "too late")), late);
            assertThat(gone.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(gone.message()).contains("does not exist");
        }
    }

    @Test
    void temporaryDestinationsGoWithTheirConnection() throws Exception {
        WireDestination temp = new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, "tmp.topic.b.1");
        try (TestClient other = TestClient.open(broker)) {
            int st = other.openSession(false);
            TestClient owner = TestClient.open(broker);
            long create = owner.nextRequestId();
            owner.request(new CreateTemporary(create, temp), create);
            other.sendMessage(st, text(temp, "while it lives"));
            owner.abort();

            BrokerFixture.eventually("the temporary topic is gone with its connection", () -> {
                try {
                    long id = other.nextRequestId();
                    other.send(new Send(st, id, text(temp, "probe")));
                    return other.answer(id) instanceof ErrorFrame;
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void browsingPagesThroughAvailableMessagesWithoutLockingThem() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            for (String id : List.of("m0", "m1", "m2")) {
                client.sendMessage(s, text(ORDERS, id));
            }
            Browsed middle = browse(client, s, ORDERS, 1, 1);
            assertThat(middle.messages()).extracting(m -> m.messageId()).containsExactly("m1");
            assertThat(middle.last()).isFalse();
            Browsed all = browse(client, s, ORDERS, 0, 10);
            assertThat(all.messages()).extracting(m -> m.messageId()).containsExactly("m0", "m1", "m2");
            assertThat(all.last()).isTrue();
            assertThat(browse(client, s, WireDestination.queue("nothing-here"), 0, 10).messages()).isEmpty();

            client.createConsumer(s, 1, ORDERS, 10);
            long[] tokens = new long[3];
            for (int i = 0; i < 3; i++) {
                Deliver d = client.awaitDelivery(s, 1);
                assertThat(id(d)).isEqualTo("m" + i);
                assertThat(d.deliveryCount()).as("browsing is not a delivery").isEqualTo(1);
                tokens[i] = d.lockToken();
            }
            Browsed whileLocked = browse(client, s, ORDERS, 0, 10);
            assertThat(whileLocked.messages()).as("locked, not yet settled messages are still on the queue")
                    .extracting(m -> m.messageId()).containsExactly("m0", "m1", "m2");
            client.settle(s, SettleOutcome.COMPLETE, tokens);
            assertThat(browse(client, s, ORDERS, 0, 10).messages()).as("completed messages are gone").isEmpty();
        }
    }

    @Test
    void browseRefusesTopicsAndInvalidSelectorsAndMalformedRequestsCloseTheConnection() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            long topic = client.nextRequestId();
            assertThat(client.refused(new Browse(s, topic, NEWS, null, 0, 10), topic).code())
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);
            long selector = client.nextRequestId();
            assertThat(client.refused(new Browse(s, selector, ORDERS, "a = ", 0, 10), selector).code())
                    .isEqualTo(ErrorCode.INVALID_SELECTOR);
            long unsubscribe = client.nextRequestId();
            assertThat(client.refused(new Unsubscribe(s, unsubscribe, "none"), unsubscribe).code())
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);

            // a Browse asking for zero messages does not decode: the connection ends with MALFORMED_FRAME
            ByteBuf body = Unpooled.buffer();
            body.writeLong(client.nextRequestId());
            ORDERS.write(body);
            Wire.writeString(body, null);
            body.writeInt(0).writeInt(0);
            ByteBuf frame = Unpooled.buffer();
            frame.writeInt(5 + body.readableBytes()).writeByte(FrameType.BROWSE.code()).writeInt(s).writeBytes(body);
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            client.sendRaw(bytes);
            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(client.stash()).anySatisfy(f -> {
                assertThat(f).isInstanceOf(ErrorFrame.class);
                assertThat(((ErrorFrame) f).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            });
        }
    }

    private static Browsed browse(TestClient client, int channel, WireDestination queue, int offset, int max)
            throws Exception {
        long id = client.nextRequestId();
        client.send(new Browse(channel, id, queue, null, offset, max));
        return client.await(Browsed.class, b -> b.requestId() == id);
    }
}
