package io.tunnelmq.server.net;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.Messages;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.security.AccessControl;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.session.BrokerCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static io.tunnelmq.server.net.HandlerChannels.MAX_FRAME;
import static io.tunnelmq.server.net.HandlerChannels.poll;
import static io.tunnelmq.server.net.HandlerChannels.read;
import static io.tunnelmq.server.net.HandlerChannels.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Sends the broker does not answer: who may send them, and how their window is reported. */
@Timeout(10)
class UnansweredSendsTest {
    private static final int BUFFER = 16 * 1024;
    private static final WireDestination QUEUE = WireDestination.queue("q");

    private final WheelTimer timer = new WheelTimer();
    private final MemoryTracker memory = new MemoryTracker(1L << 30);
    private final DestinationRegistry destinations = new DestinationRegistry(timer, memory,
            q -> new QueueSettings(60_000, 10));

    @AfterEach
    void tearDown() {
        timer.close();
    }

    private EmbeddedChannel opened(Map<String, Object> options) {
        BrokerContext broker = new BrokerContext(destinations, memory, BUFFER, MAX_FRAME, new BrokerCounters(),
                AccessControl.open());
        EmbeddedChannel channel = HandlerChannels.channel(HandlerChannels.settings("t"), broker,
                Authenticator.ALLOW_ALL, new LiveConnections());
        write(channel, new Hello(Protocol.VERSION, null, null, null, 0, options));
        return channel;
    }



    private static EmbeddedChannel withSession(EmbeddedChannel channel) {
        read(channel); // Welcome
        write(channel, new OpenSession(1, 1, false, 1));
        assertThat(read(channel)).isInstanceOf(Ok.class);
        return channel;
    }

    @Test
    void theBrokerSaysItTakesThemOnlyToClientsThatAsk() {
        assertThat(((Welcome) read(opened(Map.of(Hello.OPTION_UNANSWERED_SENDS, true)))).unansweredSends()).isTrue();
        assertThat(((Welcome) read(opened(Map.of()))).unansweredSends()).isFalse();
    }

    @Test
    void anAcceptedUnansweredSendGetsNoAnswerAndIsQueued() {
        EmbeddedChannel channel = withSession(opened(Map.of(Hello.OPTION_UNANSWERED_SENDS, true)));
        write(channel, new Send(1, Protocol.NO_REPLY, Messages.text(QUEUE, "m-1")));
        assertThat(poll(channel)).as("no answer while the window is more than half open").isNull();
        assertThat(destinations.findQueue("q")).hasValueSatisfying(q -> assertThat(q.stats().available()).isEqualTo(1));
    }

    @Test
    void onceHalfTheWindowIsSpentOneWindowUpdateSaysHowFarItReaches() {
        EmbeddedChannel channel = withSession(opened(Map.of(Hello.OPTION_UNANSWERED_SENDS, true)));
        long received = 0;
        WireMessage m = Messages.withBody(QUEUE, "m", 3_000);
        for (int i = 0; i < 3; i++) { // 9 KB of 16: more than half
            write(channel, new Send(1, Protocol.NO_REPLY, m));
            received += m.sizeEstimate();
        }
        WindowUpdate update = (WindowUpdate) read(channel);
        assertThat(update.received()).isEqualTo(received);
        assertThat(update.freeBytes()).as("the queue holds what was sent; the buffer is free again").isEqualTo(BUFFER);
        assertThat(poll(channel)).as("one update for the sends of one round").isNull();
    }

    @Test
    void aClientThatDidNotAskIsToldNothingItCannotRead() {
        EmbeddedChannel channel = withSession(opened(Map.of()));
        WireMessage m = Messages.withBody(QUEUE, "m", 3_000);
        for (int i = 0; i < 3; i++) {
            write(channel, new Send(1, Protocol.NO_REPLY, m));
        }
        assertThat(((WindowUpdate) read(channel)).received()).as("not written to an older client").isEqualTo(-1);
    }

    @Test
    void sendsOnAChannelWithoutASessionAreRefusedAndStillCounted() {
        EmbeddedChannel channel = withSession(opened(Map.of(Hello.OPTION_UNANSWERED_SENDS, true)));
        WireMessage m = Messages.withBody(QUEUE, "m", 3_000);
        long received = 0;
        for (int i = 0; i < 3; i++) { // the session of channel 7 ended on the broker while these were on their way
            write(channel, new Send(7, Protocol.NO_REPLY, m));
            received += m.sizeEstimate();
        }
        WindowUpdate update = null;
        int refused = 0;
        for (Frame f; (f = poll(channel)) != null; ) {
            if (f instanceof SendFailed failed) {
                assertThat(failed.code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
                refused++;
            } else {
                update = (WindowUpdate) f;
            }
        }
        assertThat(refused).isEqualTo(3);
        assertThat(update).as("the client counted them: so does the window").isNotNull();
        assertThat(update.received()).isEqualTo(received);
        assertThat(channel.isOpen()).isTrue();
    }
}
