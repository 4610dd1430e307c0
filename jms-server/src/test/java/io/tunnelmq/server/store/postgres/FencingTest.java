package io.tunnelmq.server.store.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** When a broker takes itself for dead, on a clock the test moves. */
@Timeout(10)
class FencingTest {
    private static final PostgresSettings SETTINGS = new PostgresSettings("jdbc:postgresql://db/tmq", "u", "p", 6,
            1_000, 10_000);

    private long now;
    private final Fencing fencing = new Fencing(SETTINGS, () -> now);
    private final List<String> told = new CopyOnWriteArrayList<>();

    private void at(long millis) {
        now = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void itServesUntilItsLastHeartbeatIsStaleLessHalfABeatThenIsFencedOnceForGood() {
        fencing.listen(() -> told.add("fenced"));
        at(2_000);
        fencing.beatReached(fencing.beatStarts());
        at(2_000 + 9_499);
        fencing.check();
        assertThat(fencing.serving()).isTrue();
        assertThat(told).isEmpty();

        at(2_000 + 9_500);
        assertThat(fencing.serving()).as("serving once the others may reap it half a beat later").isFalse();
        fencing.check();
        fencing.check();
        assertThat(told).containsExactly("fenced");
        fencing.beatReached(fencing.beatStarts());
        assertThat(fencing.serving()).as("a heartbeat after the fence").isFalse();
    }

    @Test
    void aHeartbeatThatStartedEarlierThanTheLastOneReachedMovesNothingBack() {
        at(1_000);
        long early = fencing.beatStarts();
        at(5_000);
        fencing.beatReached(fencing.beatStarts());
        fencing.beatReached(early); // a slow beat whose answer came last
        at(5_000 + 9_499);
        assertThat(fencing.serving()).isTrue();
    }

    @Test
    void aListenerThatComesAfterTheFenceIsToldAtOnce() {
        fencing.fence("the test says so");
        fencing.listen(() -> told.add("late"));
        assertThat(told).containsExactly("late");
        assertThat(fencing.fenced()).isTrue();
    }
}
