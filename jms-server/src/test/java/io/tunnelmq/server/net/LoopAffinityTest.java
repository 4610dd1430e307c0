package io.tunnelmq.server.net;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.server.net.LoopAffinity.STAY;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LoopAffinityTest {
    private static final long WINDOW = LoopAffinity.WINDOW_NANOS;
    private static final int HOME = 2;

    private final LoopAffinity affinity = new LoopAffinity();
    private long now = 1_000;

    @BeforeEach
    void startTheFirstWindow() {
        assertThat(affinity.target(now, HOME)).isEqualTo(STAY);
    }

    private void count(int from, int tasks) {
        for (int i = 0; i < tasks; i++) {
            affinity.count(from, HOME);
        }
    }

    private void reads(int frames) {
        for (int i = 0; i < frames; i++) {
            affinity.read();
        }
    }

    /** The verdict at the end of the window. */
    private int endWindow() {
        now += WINDOW;
        return affinity.target(now, HOME);
    }

    @Test
    void aConversationWithOneLowerNumberedLoopJoinsItAtTheEndOfTheWindow() {
        count(0, LoopAffinity.JOIN_MIN_FOREIGN);
        count(HOME, 100);
        assertThat(affinity.target(now + WINDOW - 1, HOME)).as("window not over").isEqualTo(STAY);

        assertThat(endWindow()).isEqualTo(0);
    }

    @Test
    void theConnectionOnTheLowerNumberedLoopStaysSoThatAPairDoesNotSwapPlaces() {
        count(3, 1_000);

        assertThat(endWindow()).isEqualTo(STAY);
    }

    @Test
    void workFromTwoOtherLoopsOrTooLittleOrTooMuchKeepsItWhereItIs() {
        count(0, 100);
        count(1, 1);
        assertThat(endWindow()).as("two other loops").isEqualTo(STAY);

        count(0, LoopAffinity.JOIN_MIN_FOREIGN - 1);
        assertThat(endWindow()).as("a few tasks").isEqualTo(STAY);

        count(0, LoopAffinity.JOIN_MAX_ACTIVITY / 2);
        count(HOME, LoopAffinity.JOIN_MAX_ACTIVITY / 2 + 1);
        assertThat(endWindow()).as("a busy stream").isEqualTo(STAY);

        count(0, 100);
        reads(LoopAffinity.JOIN_MAX_ACTIVITY - 100 + 1);
        assertThat(endWindow()).as("a busy producer, handed a little work").isEqualTo(STAY);

        count(0, 100);
        reads(LoopAffinity.JOIN_MAX_ACTIVITY - 100);
        assertThat(endWindow()).as("a conversation at the most one loop takes").isEqualTo(0);

        count(BrokerLoops.NOT_A_LOOP, 1_000);
        count(0, 100);
        assertThat(endWindow()).as("threads that are no loop do not count").isEqualTo(0);
    }

    @Test
    void aJoinedConnectionSettlesThenLeavesForItsOldLoopWhenItGrowsBusy() {
        count(0, 100);
        assertThat(endWindow()).isEqualTo(0);
        affinity.moved(now, HOME, 0);

        int newHome = 0;
        for (int i = 0; i < LoopAffinity.LEAVE_MIN_ACTIVITY + 1; i++) {
            affinity.count(newHome, newHome);
        }
        now += LoopAffinity.SETTLE_NANOS - 1;
        assertThat(affinity.target(now, newHome)).as("settling").isEqualTo(STAY);

        now += 1;
        for (int i = 0; i < LoopAffinity.LEAVE_MIN_ACTIVITY / 2; i++) {
            affinity.count(newHome, newHome);
        }
        reads(LoopAffinity.LEAVE_MIN_ACTIVITY / 2);
        now += WINDOW;
        assertThat(affinity.target(now, newHome)).as("busy, but not busy enough").isEqualTo(STAY);

        reads(LoopAffinity.LEAVE_MIN_ACTIVITY + 1);
        now += WINDOW;
        assertThat(affinity.target(now, newHome)).as("leaves, busy reading (a producer)").isEqualTo(HOME);
    }

    @Test
    void afterLeavingItDoesNotJoinAgainForALongWhile() {
        count(0, 100);
        assertThat(endWindow()).isEqualTo(0);
        affinity.moved(now, HOME, 0);
        now += LoopAffinity.SETTLE_NANOS;
        affinity.moved(now, 0, HOME); // left

        now += LoopAffinity.AFTER_LEAVE_NANOS - WINDOW - 1;
        affinity.target(now, HOME);
        count(0, 100);
        assertThat(endWindow()).as("still quiet").isEqualTo(STAY);

        count(0, 100);
        assertThat(endWindow()).as("joins again").isEqualTo(0);
    }
}
