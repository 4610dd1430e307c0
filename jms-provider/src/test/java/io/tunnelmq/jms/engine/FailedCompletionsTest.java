package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class FailedCompletionsTest {
    private final FailedCompletions failed = new FailedCompletions();

    @Test
    void reportsMergeNamingEveryTokenInOrderAndAreTakenOnce() {
        assertThat(failed.take()).isNull();
        failed.add(new EngineException(ErrorCode.LOCK_EXPIRED, "first", new long[]{1, 2}));
        failed.add(new EngineException(ErrorCode.UNKNOWN_LOCK_TOKEN, "second", new long[]{3}));
        failed.add(new EngineException(ErrorCode.UNKNOWN_LOCK_TOKEN, "third", new long[]{4}));

        EngineException taken = failed.take();
        assertThat(taken.lockTokens()).containsExactly(1, 2, 3, 4);
        assertThat(taken.code()).as("the first report's").isEqualTo(ErrorCode.LOCK_EXPIRED);
        assertThat(taken.getMessage()).isEqualTo("first; later completions failed too (their tokens follow)");
        assertThat(failed.take()).isNull();
    }

    @Test
    void aSessionThatNeverTakesThemHoldsABoundedNumberOfTokens() {
        for (int i = 0; i < 3 * FailedCompletions.MAX_TOKENS; i++) {
            failed.add(new EngineException(ErrorCode.LOCK_EXPIRED, "expired", new long[]{i}));
        }
        assertThat(failed.take().lockTokens())
                .containsExactly(LongStream.range(0, FailedCompletions.MAX_TOKENS).toArray());
    }
}
