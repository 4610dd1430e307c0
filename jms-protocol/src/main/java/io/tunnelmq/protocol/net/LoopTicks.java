package io.tunnelmq.protocol.net;

import io.netty.util.concurrent.EventExecutor;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat ticks of the connections of one event loop that tick at one rate, on the client and on the broker
 * alike: one fixed-rate task per {@link TickSlots slot}, which runs the ticks of all the slot's connections in turn.
 * <p>
 * A fixed-rate task per connection (as it was) keeps every connection in the loop's queue of scheduled tasks, a binary
 * heap of one node per connection: each tick took its node out and put it back, a dozen comparisons of nodes spread
 * over the heap for 2,500 connections a loop. With 10,000 idle connections that sifting was a third of the idle
 * broker's Java samples and half of the client's (JFR). Here a loop's heap holds one task per slot in use, and a tick
 * is a walk over an array.
 * <p>
 * A connection joins on its loop ({@link #join}) and leaves on it ({@link Ticking#cancel()}); a loop's ticks at a
 * rate go when their last connection leaves. A connection that moves to another loop leaves the old one and joins the
 * new one in the same slot. Everything but the registry of loops is touched by the loop's own thread only.
 */
public final class LoopTicks {
    private static final ConcurrentMap<Key, LoopTicks> LOOPS = new ConcurrentHashMap<>();

    private record Key(EventExecutor loop, long tickNanos) {
    }

    private final Key key;
    private final Slot[] slots = new Slot[TickSlots.SLOTS];
    /** The slot of the next connection to join: the slots in turn. */
    private int nextSlot;
    private int members;

    private LoopTicks(Key key) {
        this.key = key;
    }

    /**
     * Ticks {@code tick} every {@code tickNanos} on {@code loop}, in the loop's next slot in turn. On the loop.
     *
     * @param nowNanos the grid's clock now ({@code System.nanoTime}, or a test's)
     */
    public static Ticking join(EventExecutor loop, long tickNanos, long nowNanos, Runnable tick) {
        LoopTicks ticks = of(loop, tickNanos);
        int slot = ticks.nextSlot;
        ticks.nextSlot = (slot + 1) % TickSlots.SLOTS;
        return ticks.add(slot, nowNanos, tick);
    }

    /**
     * As {@link #join(EventExecutor, long, long, Runnable)}, in the given slot (a connection that moved keeps its own).
     */
    public static Ticking join(EventExecutor loop, long tickNanos, int slot, long nowNanos, Runnable tick) {
        return of(loop, tickNanos).add(Math.floorMod(slot, TickSlots.SLOTS), nowNanos, tick);
    }

    private static LoopTicks of(EventExecutor loop, long tickNanos) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tick must be > 0 ns, was " + tickNanos);
        }
        requireLoop(loop);
        return LOOPS.computeIfAbsent(new Key(loop, tickNanos), LoopTicks::new);
    }

    private static void requireLoop(EventExecutor loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("heartbeat ticks join and leave on their event loop");
        }
    }

    /** Connections ticking on {@code loop} at {@code tickNanos} (for tests). */
    static int members(EventExecutor loop, long tickNanos) {
        LoopTicks ticks = LOOPS.get(new Key(loop, tickNanos));
        return ticks == null ? 0 : ticks.members;
    }

    /** Slots with a task on {@code loop} at {@code tickNanos} (for tests). */
    static long slotsInUse(EventExecutor loop, long tickNanos) {
        LoopTicks ticks = LOOPS.get(new Key(loop, tickNanos));
        return ticks == null ? 0 : Arrays.stream(ticks.slots).filter(s -> s != null && s.size > 0).count();
    }

    private Ticking add(int slot, long nowNanos, Runnable tick) {
        Slot s = slots[slot];
        if (s == null) {
            s = slots[slot] = new Slot();
        }
        if (s.size == 0) {
            long first = TickSlots.firstDelay(nowNanos, key.tickNanos, TickSlots.phase(key.tickNanos, slot));
            s.task = key.loop.scheduleAtFixedRate(s, first, key.tickNanos, TimeUnit.NANOSECONDS);
        }
        Ticking member = new Ticking(this, slot, tick);
        s.add(member);
        members++;
        return member;
    }

    private void remove(Ticking member) {
        Slot s = slots[member.slot];
        s.remove(member);
        if (s.size == 0) {
            s.task.cancel(false);
            s.task = null;
        }
        if (--members == 0) {
            LOOPS.remove(key, this);
        }
    }

    /** A connection's ticks, until {@link #cancel()}. */
    public static final class Ticking {
        private final LoopTicks ticks;
        private final int slot;
        private final Runnable tick;
        /** Where in its slot's array; -1 once cancelled. */
        private int index = -1;

        private Ticking(LoopTicks ticks, int slot, Runnable tick) {
            this.ticks = ticks;
            this.slot = slot;
            this.tick = tick;
        }

        /** The slot these ticks fall in (to join another loop in the same one). */
        public int slot() {
            return slot;
        }

        /** Stops the ticks, on the loop; a no-op after the first call. */
        public void cancel() {
            requireLoop(ticks.key.loop);
            if (index >= 0) {
                ticks.remove(this);
            }
        }
    }

    /** The connections of one slot, and the task that ticks them. */
    private static final class Slot implements Runnable {
        private Ticking[] members = new Ticking[4];
        private int size;
        /** The members as they stood when a tick began: who leaves or joins during it changes {@link #members}. */
        private Ticking[] ticking = new Ticking[0];
        private Future<?> task;

        void add(Ticking member) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            member.index = size;
            members[size++] = member;
        }

        void remove(Ticking member) {
            Ticking last = members[--size];
            members[member.index] = last;
            last.index = member.index;
            members[size] = null;
            member.index = -1;
        }

        @Override
        public void run() {
            int n = size;
            if (ticking.length < n) {
                ticking = new Ticking[members.length];
            }
            System.arraycopy(members, 0, ticking, 0, n);
            for (int i = 0; i < n; i++) {
                Ticking member = ticking[i];
                ticking[i] = null;
                if (member.index >= 0) { // not cancelled by an earlier tick of this round
                    tickSafely(member.tick);
                }
            }
        }

        /** One connection's failure must not stop the others' ticks (a fixed-rate task that throws runs no more). */
        private static void tickSafely(Runnable tick) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            }
        }
    }
}
