package io.tunnelmq.server.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LogThrottleTest {
    private final AtomicLong nanos = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(60_000, nanos::get);

    @Test
    void oneLinePerKindAndAddressPerIntervalCountingTheRest() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(throttle.admit(LogThrottle.Kind.HANDSHAKE, a)).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(throttle.admit(LogThrottle.Kind.HANDSHAKE, a)).isEqualTo(-1);
        }
        assertThat(throttle.admit(LogThrottle.Kind.LOGIN, a)).isZero(); // another kind
        assertThat(throttle.admit(LogThrottle.Kind.HANDSHAKE, b)).isZero(); // another address
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(throttle.admit(LogThrottle.Kind.HANDSHAKE, a)).isEqualTo(1_000);
        assertThat(LogThrottle.suppressedNote(1_000)).contains("1000 more");
        assertThat(LogThrottle.suppressedNote(0)).isEmpty();
    }

    @Test
    void manyAddressesAtOnceShareOneLineInsteadOfGrowingWithoutBound() throws Exception {
        int logged = 0;
        for (int i = 0; i < LogThrottle.MAX_KEYS + 500; i++) {
            byte[] ip = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            if (throttle.admit(LogThrottle.Kind.CONNECTION_LIMIT, InetAddress.getByAddress(ip)) >= 0) {
                logged++;
            }
        }
        assertThat(logged).isEqualTo(LogThrottle.MAX_KEYS + 1);
    }
}
