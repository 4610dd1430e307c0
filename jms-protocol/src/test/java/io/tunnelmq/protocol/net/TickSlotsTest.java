package io.tunnelmq.protocol.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TickSlotsTest {

    @Test
    void connectionsTakeTheSlotsInTurnSoEachHoldsAnEqualShare() {
        long tick = 1_500_000; // µs: a 3 s heartbeat interval
        Map<Long, Integer> perPhase = new HashMap<>();
        for (int n = 0; n < 10 * TickSlots.SLOTS; n++) {
            perPhase.merge(TickSlots.phase(tick, n), 1, Integer::sum);
        }
        assertThat(perPhase).hasSize(TickSlots.SLOTS);
        assertThat(perPhase.values()).containsOnly(10);
        assertThat(perPhase.keySet()).allMatch(p -> p >= 0 && p < tick);
        assertThat(TickSlots.phase(tick, 1) - TickSlots.phase(tick, 0)).isEqualTo(tick / TickSlots.SLOTS);
        assertThat(TickSlots.phase(tick, -1)).as("past overflow, still a slot").isEqualTo(TickSlots.phase(tick, 63));
    }

    @Test
    void theFirstTickIsTheNextOnTheConnectionsPhaseAtMostATickAway() {
        assertThat(TickSlots.firstDelay(1_000, 100, 30)).isEqualTo(30);
        assertThat(TickSlots.firstDelay(1_031, 100, 30)).isEqualTo(99);
        assertThat(TickSlots.firstDelay(1_030, 100, 30)).as("on the phase: a whole tick, never 0").isEqualTo(100);
        assertThat(TickSlots.firstDelay(-7, 100, 0)).as("nanoTime may be negative").isEqualTo(7);
        for (long now = 0; now < 300; now++) {
            long delay = TickSlots.firstDelay(now, 100, 42);
            assertThat(delay).isBetween(1L, 100L);
            assertThat(Math.floorMod(now + delay - 42, 100L)).isZero();
        }
    }
}
