package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleFailed;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests in the wrong state are answered with the right error code, and nothing else changes. */
@Timeout(30)
class ProtocolErrorsTest {
    private static final WireDestination Q = WireDestination.queue("q");

    private EmbeddedBroker broker;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        client = TestClient.open(broker);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        broker.close();
    }

    @Test
    void aRequestOnAChannelWithoutASessionIsRefused() throws Exception {
        long id = client.nextRequestId();
        ErrorFrame error = client.refused(new Send(7, id, text(Q, "m")), id);
        assertThat(error.channel()).isEqualTo(7);
        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        assertThat(error.message()).contains("OpenSession");
    }

    @Test
    void fireAndForgetFramesOnUnknownChannelsOrConsumersGetNoAnswer() throws Exception {
        int s = client.openSession(false);
        client.send(new Credit(9, 1, 5));
        client.send(new Credit(s, 42, 5));

        client.sendMessage(s, text(Q, "still answered"));
        assertThat(client.stash()).isEmpty();
    }

    @Test
    void aFireAndForgetSettleOfUnknownTokensIsReportedAndTheSessionGoesOn() throws Exception {
        int s = client.openSession(false);
        client.send(new Settle(s, 0, SettleOutcome.COMPLETE, new long[]{123, 124}, null));

        SettleFailed failed = client.expect(SettleFailed.class);
        assertThat(failed.channel()).isEqualTo(s);
        assertThat(failed.outcome()).isEqualTo(SettleOutcome.COMPLETE);
        assertThat(failed.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(failed.lockTokens()).containsExactly(123, 124);
        assertThat(failed.message()).contains("lock tokens 123, 124");
        client.sendMessage(s, text(Q, "still answered"));
        assertThat(client.stash()).isEmpty();
    }

    @Test
    void openingASessionOnAChannelInUseIsRefused() throws Exception {
        int s = client.openSession(false);
        long id = client.nextRequestId();
        assertThat(client.refused(new OpenSession(s, id, false, 1), id).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
    }

    @Test
    void aClosedSessionsChannelIsUnknownAndMayBeReused() throws Exception {
        int s = client.openSession(false);
        long close = client.nextRequestId();
        client.request(new CloseSession(s, close), close);

        long send = client.nextRequestId();
        assertThat(client.refused(new Send(s, send, text(Q, "m")), send).code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        long reopen = client.nextRequestId();
        client.request(new OpenSession(s, reopen, false, 1), reopen);
        client.sendMessage(s, text(Q, "m"));
    }

    @Test
    void consumerIdsMustBeUniqueAndKnown() throws Exception {
        int s = client.openSession(false);
        client.createConsumer(s, 1, Q, 1);

        long dup = client.nextRequestId();
        ErrorFrame duplicate = client.refused(new CreateConsumer(s, dup, 1, Q, null, false, null, false, false, 1), dup);
        long close = client.nextRequestId();
        ErrorFrame unknown = client.refused(new CloseConsumer(s, close, 2), close);

        assertThat(duplicate.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(duplicate.message()).contains("consumer id 1 is already open");
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_CONSUMER);
        client.closeConsumer(s, 1);
    }

    @Test
    void aClientIdIsHeldByOneConnectionAtATime() throws Exception {
        TestClient first = TestClient.connect(broker);
        try (TestClient second = TestClient.connect(broker)) {
            first.hello("app-1", 0, Map.of());
            second.send(new Hello(1, "app-1", null, null, 0, Map.of()));

            ErrorFrame error = second.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(error.message()).isEqualTo("client ID 'app-1' is already in use by another connection");
            assertThat(second.awaitClosed(TestClient.WAIT)).isTrue();
        } finally {
            first.close();
        }
        BrokerFixture.eventually("first connection gone", () -> broker.connectionCount() == 1);
        try (TestClient third = TestClient.connect(broker)) {
            assertThat(third.hello("app-1", 0, Map.of()).connectionId()).isNotBlank();
        }
    }

    @Test
    void namesLongerThanTheLimitAreRefusedWithAClearErrorAndTheConnectionGoesOn() throws Exception {
        String longest = "q".repeat(Protocol.MAX_NAME_BYTES);
        String tooLong = "é".repeat(Protocol.MAX_NAME_BYTES / 2) + "q"; // 1,025 bytes in UTF-8, 513 characters
        int s = client.openSession(false);
        client.sendMessage(s, text(WireDestination.queue(longest), "kept")); // the longest allowed

        long id = client.nextRequestId();
        ErrorFrame send = client.refused(new Send(s, id, text(WireDestination.queue(tooLong), "m")), id);
        assertThat(send.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(send.message()).contains("at most 1024 bytes", "this one is 1025 bytes");
        id = client.nextRequestId();
        ErrorFrame subscription = client.refused(new CreateConsumer(s, id, 1, WireDestination.topic("t"), null, false,
                tooLong, true, true, 1), id);
        assertThat(subscription.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
        assertThat(subscription.message()).contains("subscription name may be at most 1024 bytes");
        assertThat(broker.destinations().findQueue(tooLong)).isEmpty();
        assertThat(broker.destinations().subscriptions().size()).isZero();
        client.createConsumer(s, 2, WireDestination.queue(longest), 1); // the connection goes on
        assertThat(Messages.id(client.awaitDelivery(s, 2))).isEqualTo("kept");

        try (TestClient other = TestClient.connect(broker)) {
            other.send(new Hello(1, tooLong, null, null, 0, Map.of()));
            ErrorFrame error = other.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(error.message()).contains("client ID may be at most 1024 bytes");
        }
    }

    @Test
    void namesThatWouldForgeALogLineAreRefusedWithAClearErrorAndTheConnectionGoesOn() throws Exception {
        String forged = "q\n2026-12-08 12:00:00 INFO Broker - admin logged in";
        int s = client.openSession(false);

        long id = client.nextRequestId();
        ErrorFrame send = client.refused(new Send(s, id, text(WireDestination.queue(forged), "m")), id);
        assertThat(send.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(send.message()).contains("may not contain control characters", "U+000A at index 1")
                .doesNotContain("\n");
        id = client.nextRequestId();
        ErrorFrame consume = client.refused(new CreateConsumer(s, id, 1, WireDestination.topic("t\u202e"), null, false,
                null, false, false, 1), id);
        assertThat(consume.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        id = client.nextRequestId();
        ErrorFrame subscription = client.refused(new CreateConsumer(s, id, 2, WireDestination.topic("t"), null, false,
                "sub\r", true, true, 1), id);
        assertThat(subscription.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
        assertThat(broker.destinations().queues()).isEmpty();
        assertThat(broker.destinations().topics()).isEmpty();
        assertThat(broker.destinations().subscriptions().size()).isZero();
        client.sendMessage(s, text(Q, "kept")); // the connection goes on
        client.createConsumer(s, 3, Q, 1);
        assertThat(Messages.id(client.awaitDelivery(s, 3))).isEqualTo("kept");

        try (TestClient other = TestClient.connect(broker)) {
            other.send(new Hello(1, "app\u0000", null, null, 0, Map.of()));
            ErrorFrame error = other.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(error.message()).contains("client ID may not contain", "U+0000 at index 3");
        }
    }

    @Test
    void aClientSendingABrokerOnlyFrameIsCutOff() throws Exception {
        int s = client.openSession(false);
        client.send(new Deliver(s, 1, 1, 1, 0, text(Q, "forged")));
        ErrorFrame error = client.await(ErrorFrame.class, e -> true);
        assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
        assertThat(client.awaitClosed(TestClient.WAIT)).isTrue();
    }
}
