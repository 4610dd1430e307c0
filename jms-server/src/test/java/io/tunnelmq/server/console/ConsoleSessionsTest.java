package io.tunnelmq.server.console;

import io.tunnelmq.server.net.Authenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConsoleSessionsTest {
    private final AtomicLong now = new AtomicLong();
    private final ConsoleSessions sessions = new ConsoleSessions(now::get);

    @Test
    void aSessionLastsWhileItIsUsedAndEndsAtLogout() {
        String token = sessions.open("alice", 0);
        assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        assertThat(sessions.open("alice", 0)).isNotEqualTo(token);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(TimeUnit.MINUTES.toNanos(20));
            assertThat(sessions.user(token, Authenticator.ALLOW_ALL)).isEqualTo("alice");
        }
        sessions.close(token);
        assertThat(sessions.user(token, Authenticator.ALLOW_ALL)).isNull();
        assertThat(sessions.user("forged", Authenticator.ALLOW_ALL)).isNull();
        assertThat(sessions.user(null, Authenticator.ALLOW_ALL)).isNull();
    }

    @Test
    void anIdleSessionIsForgotten() {
        String token = sessions.open("bob", 0);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ConsoleSessions.IDLE_MILLIS) + 1);
        assertThat(sessions.user(token, Authenticator.ALLOW_ALL)).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aSessionInUseAllTheTimeStillEndsItsLifeAfterTheLogin() {
        String token = sessions.open("carol", 0);
        long steps = TimeUnit.HOURS.toMinutes(ConsoleSessions.LIFE_HOURS) / 10;
        for (long i = 0; i < steps; i++) { // a page polling all day: never idle
            now.addAndGet(TimeUnit.MINUTES.toNanos(10));
            assertThat(sessions.user(token, Authenticator.ALLOW_ALL)).as("after %d minutes", (i + 1) * 10)
                    .isEqualTo("carol");
        }
        now.addAndGet(1);
        assertThat(sessions.user(token, Authenticator.ALLOW_ALL)).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aSessionEndsOnceItsUserIsRemovedOrGetsAnotherPassword() {
        Map<String, Long> revokedAt = new HashMap<>();
        Authenticator users = new Authenticator() {
            @Override
            public boolean accepts(String user, String password) {
                return true;
            }

            @Override
            public boolean stillStands(String user, long since) {
                return revokedAt.getOrDefault(user, 0L) <= since;
            }
        };
        String alice = sessions.open("alice", 3);
        String bob = sessions.open("bob", 3);
        revokedAt.put("alice", 4L);
        revokedAt.put("bob", 2L); // before bob's login: it stands
        assertThat(sessions.user(alice, users)).isNull();
        assertThat(sessions.user(bob, users)).isEqualTo("bob");
        assertThat(sessions.size()).as("the ended session forgotten").isOne();
    }
}
