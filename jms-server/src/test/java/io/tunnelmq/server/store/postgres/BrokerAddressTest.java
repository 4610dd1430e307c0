package io.tunnelmq.server.store.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** How a broker is named among those sharing a database. */
@Timeout(10)
class BrokerAddressTest {

    @Test
    void aBrokerIsNamedByHostAndPortButNeverByAWildcardHost() throws Exception {
        assertThat(BrokerAddress.of("127.0.0.1", 9494)).isEqualTo("127.0.0.1:9494");
        // every broker in a container binds 0.0.0.0: that name would make each one take the others for itself
        String machine = InetAddress.getLocalHost().getHostName() + ":9494";
        assertThat(BrokerAddress.of("0.0.0.0", 9494)).isEqualTo(machine);
        assertThat(BrokerAddress.of("::", 9494)).isEqualTo(machine);
        assertThat(BrokerAddress.of("127.0.0.1", 0)).as("a port picked at start").isNull();
    }
}
