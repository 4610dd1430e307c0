package io.tunnelmq.jms.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Ok;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Heartbeats on an embedded channel whose clock the test moves. */
@Timeout(10)
class HeartbeatHandlerTest {
    private final List<Object> events = new ArrayList<>();

    private HeartbeatHandler handler;

    private EmbeddedChannel channel(int interval) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        handler = new HeartbeatHandler(interval, () -> ch.eventLoop().ticker().nanoTime());
        ch.pipeline().addLast(handler, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // the engine: reads frames, nothing to see here
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    /** Moves the clock a millisecond at a time until a heartbeat is written; returns how many ms that took. */
    private static int untilHeartbeat(EmbeddedChannel ch, int atMost) {
        for (int ms = 1; ms <= atMost; ms++) {
            advance(ch, 1);
            Object out = ch.readOutbound();
            if (out instanceof Heartbeat) {
                return ms;
            }
        }
        return -1;
    }

    /** Moves the clock a millisecond at a time for a second, running {@code each} every {@code every} ms. */
    private static int beatsInASecond(EmbeddedChannel ch, int every, Runnable each) {
        int beats = 0;
        for (int ms = 1; ms <= 1_000; ms++) {
            advance(ch, 1);
            if (ms % every == 0) {
                each.run();
            }
            if (ch.readOutbound() instanceof Heartbeat) {
                beats++;
            }
        }
        return beats;
    }

    // the ticks (every half interval) fall on a grid of the clock, so these allow for any phase

    @Test
    void writesAHeartbeatWithinOneIdleInterval() {
        EmbeddedChannel ch = channel(100);
        assertThat(untilHeartbeat(ch, 100)).as("the start counts as a write").isBetween(51, 100);
        ch.finishAndReleaseAll();
    }

    @Test
    void writesDelayTheNextHeartbeat() {
        EmbeddedChannel ch = channel(100);
        advance(ch, 40); // before the first beat can be due
        ch.writeAndFlush(new Ok(0, 1, 0));
        assertThat((Object) ch.readOutbound()).isInstanceOf(Ok.class);
        assertThat(untilHeartbeat(ch, 100)).as("within one interval of the write, not in the first half")
                .isBetween(51, 100);
        ch.finishAndReleaseAll();
    }

    @Test
    void anIdleConnectionBeatsOnceAnIntervalAndABusyOneNever() {
        EmbeddedChannel ch = channel(100);
        // the broker's heartbeats keep this side from going silent
        assertThat(beatsInASecond(ch, 50, () -> ch.writeInbound(Heartbeat.INSTANCE))).as("an idle second")
                .isEqualTo(10);
        assertThat(beatsInASecond(ch, 40, () -> {
            ch.writeAndFlush(new Ok(0, 1, 0));
            ch.writeInbound(Heartbeat.INSTANCE);
        })).as("a busy second").isZero();
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void threeSilentIntervalsMakeThePeerDead() {
        EmbeddedChannel ch = channel(100);
        advance(ch, 150);
        ch.writeInbound(Heartbeat.INSTANCE); // anything read proves the peer alive
        advance(ch, 299);
        assertThat(events).isEmpty();
        advance(ch, 1);
        assertThat(events).as("three silent intervals to the millisecond").containsExactly(new PeerSilent(300));
        advance(ch, 1_000);
        assertThat(events).as("once").hasSize(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aReadJustBeforeTheThirdSilentIntervalEndsKeepsThePeerAlive() {
        EmbeddedChannel ch = channel(100);
        advance(ch, 299);
        ch.writeInbound(Heartbeat.INSTANCE);
        advance(ch, 299);
        assertThat(events).as("the check at 300 found the read at 299").containsExactly(new PeerHeard(299));
        advance(ch, 1);
        assertThat(events).containsExactly(new PeerHeard(299), new PeerSilent(300));
        ch.finishAndReleaseAll();
    }

    @Test
    void twoSilentIntervalsMakeThePeerQuietUntilSomethingIsRead() {
        EmbeddedChannel ch = channel(100);
        advance(ch, 50);
        ch.writeInbound(Heartbeat.INSTANCE);
        advance(ch, 199);
        assertThat(handler.peerQuiet()).isFalse();
        advance(ch, 1);
        assertThat(handler.peerQuiet()).as("200 ms since the last read").isTrue();
        assertThat(events).as("quiet is not dead").isEmpty();
        advance(ch, 50);

        ch.writeInbound(new Ok(0, 1, 0));

        assertThat(handler.peerQuiet()).isFalse();
        assertThat(events).containsExactly(new PeerHeard(250));
        ch.finishAndReleaseAll();
    }

    @Test
    void aReadBeforeTheQuietIntervalsEndIsNoNews() {
        EmbeddedChannel ch = channel(100);
        advance(ch, 199);
        ch.writeInbound(Heartbeat.INSTANCE);
        advance(ch, 199);
        ch.writeInbound(Heartbeat.INSTANCE);
        assertThat(handler.peerQuiet()).isFalse();
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aHeartbeatThatCannotBeWrittenIsReportedDownThePipeline() {
        List<Throwable> caught = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        handler = new HeartbeatHandler(100, () -> ch.eventLoop().ticker().nanoTime());
        ch.pipeline().addLast(handler, new ChannelDuplexHandler() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                promise.setFailure(new IOException("the network is cut"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.add(cause);
            }
        });
        assertThat(untilHeartbeat(ch, 100)).as("none reached the wire").isEqualTo(-1);
        assertThat(caught).singleElement().extracting(Throwable::getMessage).isEqualTo("the network is cut");
        ch.finishAndReleaseAll();
    }

    @Test
    void rejectsAnIntervalOfZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HeartbeatHandler(0));
    }
}
