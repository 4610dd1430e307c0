package io.tunnelmq.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class FailureStreakTest {

    @Test
    void theFirstFailureOfARunAndTheSuccessEndingItAreTold() {
        FailureStreak streak = new FailureStreak();
        assertThat(streak.succeeded()).as("nothing failed yet").isFalse();
        assertThat(streak.failed()).as("a run begins").isTrue();
        assertThat(streak.failed()).as("within the run").isFalse();
        assertThat(streak.succeeded()).as("the run ends").isTrue();
        assertThat(streak.succeeded()).isFalse();
        assertThat(streak.failed()).as("the next run begins").isTrue();
    }
}
