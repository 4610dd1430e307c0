package io.tunnelmq.server.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's connection event loops, numbered, so that a connection can tell which loop hands it work
 * ({@link LoopAffinity}) and be moved to it ({@link LoopMove}). {@link #NONE} numbers no loop: its connections stay
 * where Netty put them, as they do when {@value #SWITCH} is {@code false}.
 */
final class BrokerLoops {
    /** System property that turns moving connections between loops off ({@code false}); on by default. */
    static final String SWITCH = "tunnelmq.broker.loopAffinity";
    /** Loop index of a thread that is none of the loops. */
    static final int NOT_A_LOOP = -1;
    static final BrokerLoops NONE = new BrokerLoops(new EventLoop[0]);

    /**
     * Each thread's loop number among the loops it was last asked about: found once per thread (an array slot on
     * Netty's threads). Static, so brokers started and stopped by the hundred (tests) take no thread-local slot each.
     */
    private static final FastThreadLocal<Seat> SEAT = new FastThreadLocal<>();

    private record Seat(BrokerLoops loops, int index) {
    }

    private final EventLoop[] loops;

    private BrokerLoops(EventLoop[] loops) {
        this.loops = loops;
    }

    /** The loops of {@code group}, or {@link #NONE} when the system property turns affinity off. */
    static BrokerLoops of(EventLoopGroup group) {
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
            return NONE;
        }
        List<EventLoop> found = new ArrayList<>();
        for (EventExecutor executor : group) {
            if (executor instanceof EventLoop loop) {
                found.add(loop);
            }
        }
        return new BrokerLoops(found.toArray(new EventLoop[0]));
    }

    /** The number of the calling thread's loop, or {@link #NOT_A_LOOP}. Any thread. */
    int current() {
        if (loops.length == 0) {
            return NOT_A_LOOP;
        }
        Seat seat = SEAT.get();
        if (seat == null || seat.loops != this) {
            seat = new Seat(this, find());
            SEAT.set(seat);
        }
        return seat.index;
    }

    private int find() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return i;
            }
        }
        return NOT_A_LOOP;
    }

    /** The number of {@code loop}, or {@link #NOT_A_LOOP} if it is none of these. */
    int indexOf(EventExecutor loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) {
                return i;
            }
        }
        return NOT_A_LOOP;
    }

    EventLoop get(int index) {
        return loops[index];
    }
}
