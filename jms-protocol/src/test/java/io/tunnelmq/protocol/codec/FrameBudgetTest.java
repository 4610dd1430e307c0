package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Large frames share one budget: a connection whose frame finds it spent stops reading until another completes. */
@Timeout(10)
class FrameBudgetTest {
    private static final int MAX = 64 * 1024;

    /** 1,000 bytes for frames over 100 bytes. */
    private static final class Budget implements FrameBudget {
        final AtomicLong used = new AtomicLong();

        @Override
        public int smallFrameBytes() {
            return 100;
        }

        @Override
        public boolean tryReserve(int bytes) {
            if (used.addAndGet(bytes) > 1_000) {
                used.addAndGet(-bytes);
                return false;
            }
            return true;
        }

        @Override
        public void release(int bytes) {
            used.addAndGet(-bytes);
        }
    }

    private final Budget budget = new Budget();

    private EmbeddedChannel channel() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.budget(budget);
        return new EmbeddedChannel(decoder);
    }

    private static ByteBuf frame(int bodyBytes) {
        WireMessage m = new WireMessage(WireDestination.queue("q"), null, 0, null, null, null, false, 4, 0, 0,
                null, BodyType.BYTES, new byte[bodyBytes]);
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(MAX));
        encoder.writeOutbound(new Send(1, 1, m));
        ByteBuf wire = Unpooled.buffer();
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
            wire.writeBytes(b);
            b.release();
        }
        return wire;
    }

    @Test
    void aLargeFrameWaitsWhileTheBudgetIsSpentAndIsDecodedOnceItFrees() throws Exception {
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        ByteBuf first = frame(600);
        int size = first.readableBytes();
        a.writeInbound(first.readRetainedSlice(50)); // a's frame is announced: its whole size is reserved
        assertThat(budget.used.get()).isEqualTo(size);

        b.writeInbound(frame(600)); // all of b's frame arrives, but the budget cannot hold both
        assertThat((Object) b.readInbound()).isNull();
        assertThat(b.config().isAutoRead()).as("b stopped reading").isFalse();

        a.writeInbound(first); // a's frame completes and its reservation returns
        assertThat((Object) a.readInbound()).isInstanceOf(Send.class);
        Object decoded = null;
        for (long deadline = System.nanoTime() + 5_000_000_000L; decoded == null && System.nanoTime() < deadline; ) {
            b.runScheduledPendingTasks(); // the retry, every few milliseconds
            decoded = b.readInbound();
            Thread.onSpinWait();
        }
        assertThat(decoded).as("b's frame, once the budget freed").isInstanceOf(Send.class);
        assertThat(b.config().isAutoRead()).isTrue();
        assertThat(budget.used.get()).isZero();
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void smallFramesNeedNoBudgetAndAConnectionThatEndsGivesItsReservationBack() {
        EmbeddedChannel a = channel();
        a.writeInbound(frame(10));
        assertThat((Object) a.readInbound()).isInstanceOf(Send.class);
        assertThat(budget.used.get()).isZero();

        ByteBuf large = frame(700);
        a.writeInbound(large.readRetainedSlice(20));
        assertThat(budget.used.get()).isPositive();
        a.close(); // half received: the reservation goes with the connection
        assertThat(budget.used.get()).isZero();
        large.release();
    }
}
