package io.tunnelmq.server.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConsoleSessionsTest {
    private final AtomicLong now = new AtomicLong();
    private final ConsoleSessions sessions = new ConsoleSessions(now::get);

    @Test
    void aSessionLastsWhileItIsUsedAndEndsAtLogout() {
        String token = sessions.open("alice");
        assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        assertThat(sessions.open("alice")).isNotEqualTo(token);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(TimeUnit.MINUTES.toNanos(20));
            assertThat(sessions.user(token)).isEqualTo("alice");
        }
        sessions.close(token);
        assertThat(sessions.user(token)).isNull();
        assertThat(sessions.user("forged")).isNull();
        assertThat(sessions.user(null)).isNull();
    }

    @Test
    void anIdleSessionIsForgotten() {
        String token = sessions.open("bob");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ConsoleSessions.IDLE_MILLIS) + 1);
        assertThat(sessions.user(token)).isNull();
        assertThat(sessions.size()).isZero();
    }
}
