package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;

import static io.tunnelmq.server.security.ConnectionLimits.Admission.ADMITTED;
import static io.tunnelmq.server.security.ConnectionLimits.Admission.TOO_MANY_FROM_ADDRESS;
import static io.tunnelmq.server.security.ConnectionLimits.Admission.TOO_MANY_IN_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConnectionLimitsTest {

    @Test
    void oneAddressCannotTakeMoreThanItsShare() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(limits.admit(a)).isEqualTo(ADMITTED);
        assertThat(limits.admit(a)).isEqualTo(ADMITTED);
        assertThat(limits.admit(a)).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(limits.admit(b)).isEqualTo(ADMITTED);
        assertThat(limits.total()).isEqualTo(3);
        limits.release(a);
        assertThat(limits.admit(a)).isEqualTo(ADMITTED);
    }

    @Test
    void anIpv6SourceIsItsSlash64() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        assertThat(limits.admit(InetAddress.getByName("2001:db8:0:1::1"))).isEqualTo(ADMITTED);
        assertThat(limits.admit(InetAddress.getByName("2001:db8:0:1::2"))).isEqualTo(ADMITTED);
        // a third address of the same /64 is the same host to the limits; another /64 is not
        assertThat(limits.admit(InetAddress.getByName("2001:db8:0:1:ffff::3"))).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(limits.admit(InetAddress.getByName("2001:db8:0:2::1"))).isEqualTo(ADMITTED);
        limits.release(InetAddress.getByName("2001:db8:0:1::1"));
        assertThat(limits.admit(InetAddress.getByName("2001:db8:0:1::9"))).isEqualTo(ADMITTED);
        assertThat(PeerSource.describe(InetAddress.getByName("2001:db8:0:1::9"))).isEqualTo("2001:db8:0:1:0:0:0:0/64");
        assertThat(PeerSource.describe(InetAddress.getByName("::1"))).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(PeerSource.describe(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void theTotalIsCappedAndFreedAgain() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(3, 3);
        InetAddress[] addresses = new InetAddress[4];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName("192.0.2." + (10 + i));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit(addresses[i])).isEqualTo(ADMITTED);
        }
        assertThat(limits.admit(addresses[3])).isEqualTo(TOO_MANY_IN_TOTAL);
        assertThat(limits.total()).isEqualTo(3);
        limits.release(addresses[0]);
        assertThat(limits.admit(addresses[3])).isEqualTo(ADMITTED);
    }
}
