package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RecentLoginsTest {
    private static final long REMEMBER = 60_000_000_000L;

    private long now = 7_000;
    private final RecentLogins recent = new RecentLogins(REMEMBER, () -> now, new SecureRandom());

    @Test
    void aPassedLoginIsRememberedForItsUserAndPasswordUntilItsTimeIsUp() {
        byte[] alice = recent.digest("alice", "wonder land");
        assertThat(recent.passed("alice", alice)).as("not before it passed").isFalse();
        recent.remember("alice", alice);

        assertThat(recent.passed("alice", recent.digest("alice", "wonder land"))).isTrue();
        assertThat(recent.passed("alice", recent.digest("alice", "wonderland"))).as("another password").isFalse();
        assertThat(recent.passed("alice", recent.digest("alice", ""))).isFalse();
        assertThat(recent.passed("bob", recent.digest("bob", "wonder land"))).as("another user").isFalse();
        assertThat(recent.passed("bob", alice)).as("alice's digest for bob").isFalse();

        now += REMEMBER - 1;
        assertThat(recent.passed("alice", alice)).isTrue();
        now += 1;
        assertThat(recent.passed("alice", alice)).as("time is up").isFalse();
    }

    @Test
    void aNewPasswordReplacesTheOldAndDigestsDifferPerUserAndBroker() {
        byte[] old = recent.digest("alice", "old");
        recent.remember("alice", old);
        byte[] changed = recent.digest("alice", "new");
        recent.remember("alice", changed);
        assertThat(recent.passed("alice", changed)).isTrue();
        assertThat(recent.passed("alice", old)).as("one password per user").isFalse();

        assertThat(recent.digest("alice", "pw")).isNotEqualTo(recent.digest("bob", "pw"))
                .isEqualTo(recent.digest("alice", "pw"))
                .as("another broker's key").isNotEqualTo(
                        new RecentLogins(REMEMBER, () -> now, new SecureRandom()).digest("alice", "pw"));
    }

    @Test
    void rememberingForNoTimeRemembersNothing() {
        RecentLogins none = new RecentLogins(0, () -> now, new SecureRandom());
        byte[] alice = none.digest("alice", "pw");
        none.remember("alice", alice);
        assertThat(none.passed("alice", alice)).isFalse();
    }
}
