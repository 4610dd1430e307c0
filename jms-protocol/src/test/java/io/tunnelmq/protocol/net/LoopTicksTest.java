package io.tunnelmq.protocol.net;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The loop's ticks on an embedded event loop whose clock the test moves. */
@Timeout(10)
class LoopTicksTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(64); // a slot a millisecond

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final List<String> ticked = new ArrayList<>();

    LoopTicksTest() {
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private long now() {
        return loop.ticker().nanoTime();
    }

    private LoopTicks.Ticking join(String name) {
        return LoopTicks.join(loop, TICK, now(), () -> ticked.add(name));
    }

    private void advance(long nanos) {
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void connectionsTakeTheLoopsSlotsInTurnOneTaskForEachSlotInUse() {
        List<LoopTicks.Ticking> all = new ArrayList<>();
        for (int i = 0; i < 3 * TickSlots.SLOTS; i++) {
            all.add(join("c" + i));
        }
        assertThat(LoopTicks.members(loop, TICK)).isEqualTo(3 * TickSlots.SLOTS);
        assertThat(LoopTicks.slotsInUse(loop, TICK)).isEqualTo(TickSlots.SLOTS);
        assertThat(all.get(0).slot()).isEqualTo(all.get(TickSlots.SLOTS).slot()).isNotEqualTo(all.get(1).slot());

        advance(TICK);
        assertThat(ticked).as("each once a tick").hasSize(3 * TickSlots.SLOTS).doesNotHaveDuplicates();
        ticked.clear();
        advance(TICK);
        assertThat(ticked).hasSize(3 * TickSlots.SLOTS);

        all.forEach(LoopTicks.Ticking::cancel);
        assertThat(LoopTicks.members(loop, TICK)).isZero();
        assertThat(LoopTicks.slotsInUse(loop, TICK)).isZero();
        ticked.clear();
        advance(3 * TICK);
        assertThat(ticked).as("cancelled: no task left to run them").isEmpty();
    }

    @Test
    void aSlotsTicksFallOnItsPhaseOfTheGridATickApart() {
        int slot = 5;
        long phase = TickSlots.phase(TICK, slot);
        long untilFirst = TickSlots.firstDelay(now(), TICK, phase);
        LoopTicks.join(loop, TICK, slot, now(), () -> ticked.add("tick"));
        advance(untilFirst - 1);
        assertThat(ticked).isEmpty();
        advance(1);
        assertThat(ticked).hasSize(1);
        assertThat(Math.floorMod(now() - phase, TICK)).as("on the slot's phase").isZero();
        advance(TICK - 1);
        assertThat(ticked).hasSize(1);
        advance(1);
        assertThat(ticked).as("a tick later").hasSize(2);
    }

    @Test
    void aConnectionThatMovedKeepsItsSlotOnTheNewLoop() {
        EmbeddedChannel other = new EmbeddedChannel();
        try {
            LoopTicks.Ticking here = join("a");
            here.cancel();
            LoopTicks.Ticking there = LoopTicks.join(other.eventLoop(), TICK, here.slot(), now(), () -> { });
            assertThat(there.slot()).isEqualTo(here.slot());
            assertThat(LoopTicks.members(loop, TICK)).isZero();
            assertThat(LoopTicks.members(other.eventLoop(), TICK)).isOne();
            there.cancel();
            there.cancel(); // a second cancel is a no-op
            assertThat(LoopTicks.members(other.eventLoop(), TICK)).isZero();
        } finally {
            other.finishAndReleaseAll();
        }
    }

    @Test
    void whoLeavesDuringATickIsNotTickedAndWhoJoinsWaitsForTheNextTick() {
        int slot = 0;
        List<LoopTicks.Ticking> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "c" + i;
            members.add(LoopTicks.join(loop, TICK, slot, now(), () -> {
                ticked.add(name);
                if (name.equals("c0")) {
                    members.get(0).cancel(); // itself: the last member takes its place in the array
                    members.get(2).cancel(); // one not ticked yet this round
                    members.add(LoopTicks.join(loop, TICK, slot, now(), () -> ticked.add("late")));
                }
            }));
        }
        advance(TICK);
        assertThat(ticked).containsExactly("c0", "c1", "c3");
        ticked.clear();
        advance(TICK);
        assertThat(ticked).containsExactlyInAnyOrder("c1", "c3", "late");
    }

    @Test
    void aConnectionWhoseTickThrowsStopsNeitherTheOthersNorItsOwnNextTick() {
        Thread thread = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = thread.getUncaughtExceptionHandler();
        List<Throwable> reported = new ArrayList<>();
        thread.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            LoopTicks.join(loop, TICK, 0, now(), () -> {
                ticked.add("bad");
                throw new IllegalStateException("boom");
            });
            LoopTicks.join(loop, TICK, 0, now(), () -> ticked.add("good"));
            advance(2 * TICK);
            assertThat(ticked).containsExactly("bad", "good", "bad", "good");
            assertThat(reported).hasSize(2).allMatch(e -> e.getMessage().equals("boom"));
        } finally {
            thread.setUncaughtExceptionHandler(before);
        }
    }

    @Test
    void ticksJoinAndLeaveOnlyOnTheirLoop() throws Exception {
        DefaultEventExecutor elsewhere = new DefaultEventExecutor();
        try {
            assertThatIllegalStateException().isThrownBy(() -> LoopTicks.join(elsewhere, TICK, 0, () -> { }))
                    .withMessageContaining("on their event loop");
            LoopTicks.Ticking there = elsewhere.submit(() -> LoopTicks.join(elsewhere, TICK, 0, () -> { }))
                    .get(5, TimeUnit.SECONDS);
            assertThatIllegalStateException().isThrownBy(there::cancel);
            elsewhere.submit(there::cancel).get(5, TimeUnit.SECONDS);
            assertThat(LoopTicks.members(elsewhere, TICK)).isZero();
        } finally {
            elsewhere.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
