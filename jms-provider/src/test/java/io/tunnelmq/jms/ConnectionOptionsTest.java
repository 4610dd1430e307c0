package io.tunnelmq.jms;

import io.tunnelmq.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ConnectionOptionsTest {

    @Test
    void defaultsServeALaptop() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://localhost");
        assertThat(o.port()).isEqualTo(9494);
        assertThat(o.clientId()).isNull();
        assertThat(o.prefetch()).isPositive();
        assertThat(o.heartbeatMillis()).isPositive();
        assertThat(Protocol.MISSED_HEARTBEATS * o.heartbeatMillis()).as("a dead broker is noticed within 10 s")
                .isLessThanOrEqualTo(10_000);
        assertThat(o.connectTimeoutMillis()).isPositive();
        assertThat(ConnectionOptions.defaults().address()).isEqualTo("localhost:9494");
    }

    @Test
    void everyOptionIsRead() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://10.0.0.5:7000?clientID=my%20app&user=u&password=p%26w"
                + "&prefetch=0&connectTimeout=1500&requestTimeout=2500&sendTimeout=3500&heartbeat=0"
                + "&lockDuration=90000&maxFrameSize=65536");
        assertThat(o.host()).isEqualTo("10.0.0.5");
        assertThat(o.port()).isEqualTo(7000);
        assertThat(o.clientId()).isEqualTo("my app");
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.password()).isEqualTo("p&w");
        assertThat(o.prefetch()).isZero();
        assertThat(o.connectTimeoutMillis()).isEqualTo(1500);
        assertThat(o.requestTimeoutMillis()).isEqualTo(2500);
        assertThat(o.sendTimeoutMillis()).isEqualTo(3500);
        assertThat(o.heartbeatMillis()).isZero();
        assertThat(o.lockDurationMillis()).isEqualTo(90_000);
        assertThat(o.maxFrameSize()).isEqualTo(65_536);
        assertThat(o.toString()).doesNotContain("p&w");
    }

    @Test
    void withersReplaceOnlyTheirField() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://h:1?prefetch=3");
        assertThat(o.withClientId("c").clientId()).isEqualTo("c");
        assertThat(o.withClientId("c").prefetch()).isEqualTo(3);
        ConnectionOptions creds = o.withCredentials("a", "b");
        assertThat(creds.user()).isEqualTo("a");
        assertThat(creds.password()).isEqualTo("b");
        assertThat(creds.port()).isEqualTo(1);
    }

    @Test
    void badUrlsSayWhatIsWrong() {
        assertThatThrownBy(() -> ConnectionOptions.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> ConnectionOptions.parse("tcp://h:1")).hasMessageContaining("tmq://");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?prefetch=lots"))
                .hasMessageContaining("prefetch").hasMessageContaining("lots");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?prefech=5"))
                .hasMessageContaining("unknown option 'prefech'").hasMessageContaining("prefetch");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?prefetch=-1"))
                .hasMessageContaining("prefetch must be >= 0");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://:1")).hasMessageContaining("host");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1 2")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?sendTimeout=0"))
                .hasMessageContaining("sendTimeout must be > 0");
    }
}
