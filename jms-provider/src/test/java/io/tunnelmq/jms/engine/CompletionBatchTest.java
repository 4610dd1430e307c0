package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class CompletionBatchTest {

    @Test
    void gathersTokensInOrderAndSaysWhenAFlushIsDue() {
        CompletionBatch batch = new CompletionBatch();
        assertThat(batch.isEmpty()).isTrue();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        assertThat(batch.add(new long[] {1, 2}, a)).as("first: schedule a flush").isTrue();
        long[] many = new long[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = 3 + i;
        }
        assertThat(batch.add(many, b)).as("already scheduled").isFalse();

        long[] tokens = batch.takeTokens();
        assertThat(tokens).hasSize(42).startsWith(1, 2, 3).endsWith(42);
        assertThat(batch.takeFutures()).containsExactly(a, b);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.add(new long[] {7}, a)).isTrue();
        assertThat(batch.takeTokens()).containsExactly(7);
    }
}
