package io.tunnelmq.server.security;

import io.tunnelmq.server.security.LoginBackoff.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LoginBackoffTest {
    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final LoginBackoff backoff = new LoginBackoff(100, 3_000, 60_000, nanos::get);
    private final InetAddress attacker = address(10, 0, 0, 1);
    private final InetAddress bystander = address(10, 0, 0, 2);

    @Test
    void theDelayDoublesPerFailureOfAUserFromAnAddressUpToTheCap() {
        long[] delays = new long[8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.failed(attacker, "alice").millis();
            advance(delays[i]); // the attacker waits out each answer
        }
        assertThat(delays).containsExactly(100, 200, 400, 800, 1_600, 3_000, 3_000, 3_000);
        assertThat(backoff.failed(attacker, "alice")).isEqualTo(new Block(3_000, 9, false));
        assertThat(backoff.failed(bystander, "alice")).as("another address starts afresh")
                .isEqualTo(new Block(100, 1, false));
        assertThat(backoff.failed(attacker, "bob")).as("another user from that address too")
                .isEqualTo(new Block(100, 1, false));
    }

    @Test
    void anIpv6AttackerCannotStartAfreshFromAnotherAddressOfItsSlash64() throws Exception {
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:1::1"), "alice").millis()).isEqualTo(100);
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:1::2"), "alice").millis()).isEqualTo(200);
        assertThat(backoff.blocked(InetAddress.getByName("2001:db8:0:1:abcd::9"), "alice").failures()).isEqualTo(2);
        assertThat(backoff.failed(InetAddress.getByName("2001:db8:0:2::1"), "alice").millis()).isEqualTo(100);
        assertThat(backoff.blocked(InetAddress.getByName("2001:db8:0:1::7"), "alice")
                .refusal(InetAddress.getByName("2001:db8:0:1::7"), "alice"))
                .contains("as user 'alice' from 2001:db8:0:1:0:0:0:0/64");
    }

    @Test
    void aUserIsBlockedFromAnAddressWhileItsDelayRunsAndOthersBehindThatAddressAreNot() {
        backoff.failed(attacker, "alice");
        Block second = backoff.failed(attacker, "alice");
        assertThat(second).isEqualTo(new Block(200, 2, false));
        assertThat(backoff.blocked(attacker, "alice")).isEqualTo(second);
        assertThat(backoff.blocked(attacker, "bob")).as("a colleague behind the same NAT").isEqualTo(Block.NONE);
        assertThat(backoff.blocked(bystander, "alice")).isEqualTo(Block.NONE);
        advance(199);
        assertThat(backoff.blocked(attacker, "alice").millis()).isEqualTo(1);
        advance(1);
        assertThat(backoff.blocked(attacker, "alice")).isEqualTo(Block.NONE);
        assertThat(second.refusal(attacker, "alice")).isEqualTo("too many failed logins as user 'alice' from 10.0.0.1;"
                + " the broker does not check that user's passwords from it for 200 ms");
    }

    @Test
    void failingAsThreeDifferentUsersBlocksTheWholeAddressLongerWithEachFailure() {
        advance(backoff.failed(attacker, "alice").millis());
        advance(backoff.failed(attacker, "bob").millis());
        assertThat(backoff.blocked(attacker, "carol")).as("two users may be a shared NAT").isEqualTo(Block.NONE);
        Block sprayed = backoff.failed(attacker, "carol");
        assertThat(sprayed).isEqualTo(new Block(100, 1, true));
        assertThat(backoff.blocked(attacker, "dave")).isEqualTo(sprayed);
        assertThat(backoff.blocked(bystander, "dave")).isEqualTo(Block.NONE);
        long[] delays = new long[6];
        for (int i = 0; i < delays.length; i++) {
            advance(backoff.blocked(attacker, "any").millis());
            delays[i] = backoff.failed(attacker, "user" + i).millis();
        }
        assertThat(delays).containsExactly(200, 400, 800, 1_600, 3_000, 3_000);
        assertThat(backoff.blocked(attacker, "alice").refusal(attacker, "alice")).isEqualTo("too many failed logins"
                + " from 10.0.0.1 as different users; the broker does not check passwords from it for 3000 ms");
        assertThat(backoff.blocked(attacker, "alice").heldBack()).startsWith("7 failed login(s) from this address");
    }

    @Test
    void oneClientFailingForHoursDoesNotMakeTwoTyposHoursApartASpray() {
        for (int minute = 0; minute < 180; minute++) {
            assertThat(backoff.failed(attacker, "misconfigured").wholeAddress()).as("minute " + minute).isFalse();
            if (minute == 10 || minute == 100) {
                assertThat(backoff.failed(attacker, "typo" + minute).wholeAddress()).as("minute " + minute).isFalse();
            }
            advance(60_000);
        }
        backoff.failed(attacker, "typo3");
        Block sprayed = backoff.failed(attacker, "typo4");
        assertThat(sprayed.wholeAddress()).as("three users within the quiet period").isTrue();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 5; i++) {
            advance(backoff.failed(attacker, "user" + i).millis());
        }
        assertThat(backoff.failed(attacker, "user5").wholeAddress()).isTrue();
        assertThat(backoff.blocked(attacker, "user9").wholeAddress()).isTrue();
        advance(60_001);
        assertThat(backoff.blocked(attacker, "user9")).isEqualTo(Block.NONE);
        assertThat(backoff.failed(attacker, "user0")).as("neither the user's count nor the address's remembered")
                .isEqualTo(new Block(100, 1, false));
        assertThat(backoff.failed(attacker, "user5")).isEqualTo(new Block(100, 1, false));
    }

    @Test
    void aZeroFirstDelayTurnsBackOffOff() {
        LoginBackoff off = new LoginBackoff(0, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(off.failed(attacker, "user" + i)).isEqualTo(Block.NONE);
        }
        assertThat(off.blocked(attacker, "user0")).isEqualTo(Block.NONE);
    }

    @Test
    void anonymousLoginsCountAsOneUser() {
        backoff.failed(attacker, null);
        assertThat(backoff.failed(attacker, null).failures()).isEqualTo(2);
        assertThat(LoginBackoff.hash(null)).isEqualTo(LoginBackoff.hash(""));
        assertThat(LoginBackoff.hash("alice")).isNotEqualTo(LoginBackoff.hash("alicf"));
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
