package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class CompletionBatchTest {

    @Test
    void gathersTokensInOrderAndSaysWhenAFlushIsDue() {
        CompletionBatch batch = new CompletionBatch();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.add(new long[] {1, 2})).as("first: schedule a flush").isTrue();
        long[] many = new long[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = 3 + i;
        }
        assertThat(batch.add(many)).as("already scheduled").isFalse();

        long[] tokens = batch.takeTokens();
        assertThat(tokens).hasSize(42).startsWith(1, 2, 3).endsWith(42);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.takeTokens()).as("nothing left").isEmpty();
        assertThat(batch.add(new long[] {7})).isTrue();
        assertThat(batch.takeTokens()).containsExactly(7);
    }
}
