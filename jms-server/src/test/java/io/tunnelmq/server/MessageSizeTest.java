package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.server.Messages.withBody;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages must fit a frame on their way back out, not only on their way in. */
@Timeout(30)
class MessageSizeTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final WireDestination BIG = WireDestination.queue("big");

    private EmbeddedBroker broker;
    private TestClient client;
    private int session;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withMaxFrameSize(MAX_FRAME));
        client = TestClient.open(broker);
        session = client.openSession(false);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        broker.close();
    }

    @Test
    void aLargeMessageWithinTheLimitIsDelivered() throws Exception {
        client.sendMessage(session, withBody(BIG, "large", 60_000));
        client.createConsumer(session, 1, BIG, 1);
        Deliver d = client.awaitDelivery(session, 1);
        assertThat(d.message().body()).hasSize(60_000);
    }

    @Test
    void aSendThatFitsAFrameButCouldNeverBeDeliveredIsRefused() throws Exception {
        long id = client.nextRequestId();
        ErrorFrame error = client.refused(new Send(session, id, withBody(BIG, "huge", MAX_FRAME - 100)), id);
        assertThat(error.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(error.message()).contains("accepts messages up to");
        assertThat(broker.queueDepth("big")).isZero();
        client.sendMessage(session, withBody(BIG, "small", 10));
    }

    @Test
    void aFrameOverTheLimitEndsTheConnection() throws Exception {
        client.send(new Send(session, client.nextRequestId(), withBody(BIG, "too big", MAX_FRAME)));
        assertThat(client.await(ErrorFrame.class, e -> true).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(client.awaitClosed(TestClient.WAIT)).isTrue();
    }
}
