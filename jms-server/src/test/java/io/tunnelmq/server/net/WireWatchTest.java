package io.tunnelmq.server.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class WireWatchTest {
    private static final int INTERVAL = 100;

    /** Records the watch's events at the fake clock's time; answers a due heartbeat with a byte, as the broker does. */
    private static final class Peer extends ChannelInboundHandlerAdapter {
        final List<Long> heartbeats = new ArrayList<>();
        final List<Long> silences = new ArrayList<>();
        long now;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == IdleStateEvent.WRITER_IDLE_STATE_EVENT) {
                heartbeats.add(now);
                ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
            } else if (event == IdleStateEvent.READER_IDLE_STATE_EVENT) {
                silences.add(now);
            }
        }
    }

    private final WireWatch watch = new WireWatch();
    private final Peer peer = new Peer();
    private final EmbeddedChannel channel = new EmbeddedChannel(watch, peer);

    WireWatchTest() {
        channel.freezeTime(); // only the test moves the clock
    }

    /** Runs the fake clock forward a millisecond at a time, reading and writing every {@code readEvery}/{@code writeEvery} ms (0: never). */
    private void run(int millis, int readEvery, int writeEvery) {
        for (int i = 0; i < millis; i++) {
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            peer.now++;
            if (readEvery > 0 && peer.now % readEvery == 0) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[3]));
                channel.readInbound();
            }
            if (writeEvery > 0 && peer.now % writeEvery == 0) {
                channel.writeOutbound(Unpooled.wrappedBuffer(new byte[5]));
            }
            channel.runScheduledPendingTasks();
        }
    }

    /**
     * The client beats every interval, at {@code phase} ms into it, for {@code millis} ms; the watch's broker answers as
     * {@code ConnectionHandler} does. Returns when the answers went.
     */
    private List<Long> clientBeats(int millis, int phase) {
        List<Long> answers = new ArrayList<>();
        for (int i = 0; i < millis; i++) {
            run(1, 0, 0);
            if (peer.now % INTERVAL == phase) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[9]));
                channel.readInbound();
                if (watch.answerDue()) {
                    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[9]));
                    answers.add(peer.now);
                }
            }
        }
        return answers;
    }

    @Test
    void countsTheBytesEachWay() {
        run(10, 2, 5);
        assertThat(watch.in()).isEqualTo(15);
        assertThat(watch.out()).isEqualTo(10);
    }

    @Test
    void anIdleConnectionBeatsOnceAnIntervalAndABusyOneNever() {
        watch.heartbeats(INTERVAL);
        run(1_000, 50, 0);
        // the ticks fall on a grid of the event loop's clock: the first beat anywhere in the second half-interval
        assertThat(peer.heartbeats).hasSize(10);
        assertThat(peer.heartbeats.get(0)).isBetween(51L, 100L);
        for (int i = 1; i < 10; i++) {
            assertThat(peer.heartbeats.get(i) - peer.heartbeats.get(i - 1)).isEqualTo(INTERVAL);
        }

        peer.heartbeats.clear();
        run(1_000, 50, 40);
        assertThat(peer.heartbeats).isEmpty();
        assertThat(peer.silences).isEmpty();
    }

    @Test
    void aHeartbeatFollowsTheLastWriteWithinOneInterval() {
        watch.heartbeats(INTERVAL);
        run(301, 50, 0); // beats once an interval
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[5])); // written at 301, between two ticks
        peer.heartbeats.clear();
        run(300, 50, 0);
        assertThat(peer.heartbeats.get(0)).as("first heartbeat after the write at 301").isBetween(351L, 401L);
    }

    @Test
    void threeSilentIntervalsEndIt() {
        watch.heartbeats(INTERVAL);
        run(100, 0, 0);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1])); // the last read, at 100
        channel.readInbound();
        run(1_000, 0, 0);
        assertThat(peer.silences).as("once, three to three and a half intervals after the last read").hasSize(1);
        assertThat(peer.silences.get(0)).isBetween(400L, 450L);
    }

    @Test
    void aPeerHeardOnceAnIntervalNeverFellSilentAndOneUnheardForMoreThanAnIntervalDid() {
        watch.heartbeats(INTERVAL);
        for (int i = 0; i < 20; i++) {
            run(INTERVAL - 1, 0, 0);
            assertThat(watch.fellSilent()).as("heard once an interval, at %d", peer.now).isFalse();
            run(1, INTERVAL, 0);
        }
        long lastRead = peer.now;
        List<Long> silentAt = new ArrayList<>();
        for (int i = 0; i < 3 * INTERVAL; i++) {
            run(1, 0, 0);
            if (watch.fellSilent()) {
                silentAt.add(peer.now - lastRead);
            }
        }
        assertThat(silentAt).as("fell silent one and a half to two intervals after the last read").isNotEmpty();
        assertThat(silentAt.get(0)).isBetween(150L, 200L);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1])); // heard again, between two ticks
        channel.readInbound();
        assertThat(watch.fellSilent()).as("a read since the last tick").isFalse();
    }

    @Test
    void anIdleClientsHeartbeatsAreAnsweredAtOnceAndTheBrokerBeatsNoneOfItsOwn() {
        watch.heartbeats(INTERVAL);
        for (int phase : new int[] {0, 17, 49, 50, 51, 99}) {
            clientBeats(300, phase); // whatever the start, the pairs settle within an interval
            peer.heartbeats.clear();
            List<Long> answers = clientBeats(1_000, phase);
            assertThat(answers).as("phase %d: every heartbeat answered", phase).hasSize(10);
            assertThat(peer.heartbeats).as("phase %d: no heartbeat of its own", phase).isEmpty();
        }
    }

    @Test
    void aClientThatStopsBeatingHearsTheBrokerWithinAnIntervalAndAHalfOfTheLastAnswer() {
        watch.heartbeats(INTERVAL);
        List<Long> answers = clientBeats(500, 30);
        long lastAnswer = answers.get(answers.size() - 1);
        peer.heartbeats.clear();
        run(300, 50, 0); // the client writes no heartbeat now (say it is busy sending): the broker beats again
        assertThat(peer.heartbeats.get(0) - lastAnswer).isBetween(INTERVAL + 1L, INTERVAL + INTERVAL / 2L);
        assertThat(peer.heartbeats.get(1) - peer.heartbeats.get(0)).isEqualTo(INTERVAL);
    }

    @Test
    void aHeartbeatIsAnsweredOnceATickAtMostAndOnlyWhileTheClockRuns() {
        assertThat(watch.answerDue()).as("heartbeats off: nothing to answer").isFalse();
        watch.heartbeats(INTERVAL);
        assertThat(watch.answerDue()).isTrue();
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[9])); // the answer
        assertThat(watch.answerDue()).as("a flood of heartbeats gets one answer a tick").isFalse();
        run(INTERVAL / 2, 0, 0);
        assertThat(watch.answerDue()).isTrue();
        run(INTERVAL / 2, 0, 0);
        channel.close();
        assertThat(watch.answerDue()).as("stopped with the connection").isFalse();
    }

    @Test
    void theClockStopsWithTheConnection() {
        watch.heartbeats(INTERVAL);
        channel.close();
        run(1_000, 0, 0);
        assertThat(peer.heartbeats).isEmpty();
        assertThat(peer.silences).isEmpty();
    }
}
