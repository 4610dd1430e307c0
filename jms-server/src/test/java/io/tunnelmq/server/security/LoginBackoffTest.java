package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LoginBackoffTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LoginBackoff backoff = new LoginBackoff(100, 3_000, 60_000, nanos::get);
    private final InetAddress attacker = address(10, 0, 0, 1);
    private final InetAddress bystander = address(10, 0, 0, 2);

    @Test
    void theDelayDoublesPerFailureUpToTheCap() {
        long[] delays = new long[8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.failed(attacker);
            advance(delays[i]); // the attacker waits out each answer
        }
        assertThat(delays).containsExactly(100, 200, 400, 800, 1_600, 3_000, 3_000, 3_000);
        assertThat(backoff.failures(attacker)).isEqualTo(8);
        assertThat(backoff.failures(bystander)).isZero();
        assertThat(backoff.failed(bystander)).isEqualTo(100); // another address starts afresh
    }

    @Test
    void anIpv6AttackerCannotStartAfreshFromAnotherAddressOfItsSlash64() throws Exception {
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:1::1"))).isEqualTo(100);
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:1::2"))).isEqualTo(200);
        assertThat(backoff.failures(InetAddress.getByName("2001:db8:0:1:abcd::9"))).isEqualTo(2);
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:2::1"))).isEqualTo(100);
    }

    @Test
    void anAddressIsBlockedWhileItsDelayRuns() {
        backoff.failed(attacker);
        long delay = backoff.failed(attacker);
        assertThat(backoff.blockedMillis(attacker)).isEqualTo(delay);
        assertThat(backoff.blockedMillis(bystander)).isZero();
        advance(delay - 1);
        assertThat(backoff.blockedMillis(attacker)).isEqualTo(1);
        advance(1);
        assertThat(backoff.blockedMillis(attacker)).isZero();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 5; i++) {
            advance(backoff.failed(attacker));
        }
        assertThat(backoff.failures(attacker)).isEqualTo(5);
        advance(60_001);
        assertThat(backoff.failures(attacker)).isZero();
        assertThat(backoff.failed(attacker)).isEqualTo(100);
    }

    @Test
    void aZeroFirstDelayTurnsBackOffOff() {
        LoginBackoff off = new LoginBackoff(0, 0);
        assertThat(off.failed(attacker)).isZero();
        assertThat(off.blockedMillis(attacker)).isZero();
    }

    private void advance(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
