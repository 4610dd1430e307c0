package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.server.Messages.withBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send window rides on the acks: every Ok carries the broker's free bytes, which shrink as unconsumed
 * messages fill the broker's memory; a WindowUpdate reopens the window when consumers drain it; a client that
 * ignores its window is refused.
 */
@Timeout(30)
class FlowControlTest {
    private static final long BUFFER = 32 * 1024;
    private static final long MEMORY = 64 * 1024;
    private static final long LOW_WATER = BUFFER / 4;
    private static final WireDestination FLOW = WireDestination.queue("flow");

    private EmbeddedBroker broker;
    private TestClient producer;
    private int session;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withReceiveBufferBytes(BUFFER)
                .withMemoryLimitBytes(MEMORY));
        producer = TestClient.open(broker);
        session = producer.openSession(false);
    }

    @AfterEach
    void stop() throws Exception {
        producer.close();
        broker.close();
    }

    private static WireMessage message(int i) {
        return withBody(FLOW, "m" + i, 4000);
    }

    /** Sends until the reported window is below the low-water mark; returns the free bytes each Ok reported. */
    private List<Long> fillTheBroker() throws Exception {
        List<Long> reported = new ArrayList<>();
        for (int i = 0; reported.isEmpty() || reported.get(reported.size() - 1) >= LOW_WATER; i++) {
            reported.add(producer.sendMessage(session, message(i)).freeBytes());
            assertThat(i).as("window never closed").isLessThan(100);
        }
        return reported;
    }

    @Test
    void theWelcomeOffersTheReceiveBuffer() {
        assertThat(producer.welcome().receiveBufferBytes()).isEqualTo(BUFFER);
    }

    @Test
    void okFramesReportAShrinkingWindowAndAWindowUpdateFollowsADrain() throws Exception {
        List<Long> reported = fillTheBroker();

        assertThat(reported.get(0)).isEqualTo(BUFFER);
        assertThat(reported).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(reported.get(reported.size() - 1)).isLessThan(LOW_WATER);
        int sent = reported.size();

        try (TestClient consumer = TestClient.open(broker)) {
            int s = consumer.openSession(false);
            consumer.createConsumer(s, 1, FLOW, sent);
            for (int i = 0; i < sent; i++) {
                Deliver d = consumer.awaitDelivery(s, 1);
                consumer.settleAndForget(s, SettleOutcome.COMPLETE, d.lockToken());
            }

            WindowUpdate update = producer.await(WindowUpdate.class, u -> true);
            assertThat(update.freeBytes()).isGreaterThanOrEqualTo(LOW_WATER);
        }
        assertThat(producer.sendMessage(session, message(999)).freeBytes()).isPositive();
    }

    @Test
    void aClientFarBeyondItsWindowIsRefused() throws Exception {
        fillTheBroker();

        // ignore the window and keep sending: once a whole buffer beyond the grant, sends are refused
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long id = producer.nextRequestId();
            ids.add(id);
            producer.send(new Send(session, id, message(100 + i)));
        }
        List<Frame> answers = new ArrayList<>();
        for (long id : ids) {
            answers.add(producer.answer(id));
        }

        assertThat(answers.stream().filter(Ok.class::isInstance).map(a -> ((Ok) a).freeBytes()))
                .as("the broker kept saying its buffer is full").contains(0L);
        ErrorFrame refused = (ErrorFrame) answers.stream().filter(ErrorFrame.class::isInstance).findFirst()
                .orElseThrow(() -> new AssertionError("no send was refused: " + answers));
        assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refused.message()).contains("beyond the send window");
        assertThat(answers.indexOf(refused)).as("refused only once far beyond the window").isGreaterThan(5);
        assertThat(producer.openSession(false)).as("the connection carries on").isPositive();
    }
}
