package io.tunnelmq.jms;

import io.tunnelmq.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

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

    @Test
    void reconnectsByDefault() {
        ReconnectOptions r = ConnectionOptions.parse("tmq://localhost").reconnect();
        assertThat(r.enabled()).isTrue();
        assertThat(r.timeoutMillis()).isEqualTo(120_000);
        assertThat(r.delayMillis()).isEqualTo(100);
        assertThat(r.backoff()).isEqualTo(2.0);
        assertThat(r.maxDelayMillis()).isEqualTo(2_000);
        assertThat(r.randomize()).isFalse();
        assertThat(r.forever()).isFalse();
        assertThat(r).isEqualTo(ReconnectOptions.DEFAULTS);
    }

    @Test
    void everyReconnectOptionIsRead() {
        ReconnectOptions r = ConnectionOptions.parse("tmq://h:1?reconnect=FALSE&reconnectTimeout=0&reconnectDelay=50"
                + "&reconnectBackoff=1.5&reconnectMaxDelay=800&randomize=true").reconnect();
        assertThat(r).isEqualTo(new ReconnectOptions(false, 0, 50, 1.5, 800, true));
        assertThat(r.forever()).as("forever only when reconnecting at all").isFalse();
        assertThat(ConnectionOptions.parse("tmq://h:1?reconnectTimeout=0").reconnect().forever()).isTrue();
        assertThat(ConnectionOptions.parse("tmq://h:1?reconnectBackoff=1").reconnect().backoff()).isEqualTo(1.0);
    }

    @Test
    void badReconnectValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnect=yes"))
                .hasMessageContaining("reconnect='yes' must be true or false");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?randomize=1"))
                .hasMessageContaining("randomize='1' must be true or false");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectTimeout=-1"))
                .hasMessageContaining("reconnectTimeout must be >= 0");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectTimeout=2m"))
                .hasMessageContaining("reconnectTimeout='2m' is not a whole number");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectDelay=-5"))
                .hasMessageContaining("reconnectDelay must be >= 0");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectBackoff=0.5"))
                .hasMessageContaining("reconnectBackoff must be a number >= 1");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectBackoff=NaN"))
                .hasMessageContaining("reconnectBackoff must be a number >= 1");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectBackoff=double"))
                .hasMessageContaining("reconnectBackoff='double' is not a decimal number");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectMaxDelay=-1"))
                .hasMessageContaining("reconnectMaxDelay must be >= 0");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h:1?reconnectDelay=500&reconnectMaxDelay=100"))
                .hasMessageContaining("reconnectMaxDelay (100 ms) must not be less than reconnectDelay (500 ms)");
    }

    @Test
    void aListNamesEveryBrokerInOrder() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://b1.example:7001,b2.example,10.0.0.7:7003?prefetch=5");
        assertThat(o.addresses()).containsExactly("b1.example:7001", "b2.example:9494", "10.0.0.7:7003");
        assertThat(o.host()).as("the first broker, for existing callers").isEqualTo("b1.example");
        assertThat(o.port()).isEqualTo(7001);
        assertThat(o.address()).isEqualTo("b1.example:7001");
        assertThat(o.prefetch()).isEqualTo(5);
        assertThat(o.toString()).contains("b1.example:7001,b2.example:9494,10.0.0.7:7003");
        assertThat(ConnectionOptions.parse("tmq://h:1").addresses()).containsExactly("h:1");
        assertThat(ConnectionOptions.parse("TMQ://h:1/?prefetch=2").addresses()).containsExactly("h:1");
        assertThat(ConnectionOptions.parse(" tmq://a:1 , b:2 ").addresses()).containsExactly("a:1", "b:2");
    }

    @Test
    void ipv6AddressesGoInBrackets() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://[::1]:61616,[fe80::1%eth0],host:2?prefetch=1");
        assertThat(o.addresses()).containsExactly("[::1]:61616", "[fe80::1%eth0]:9494", "host:2");
        assertThat(o.host()).as("without brackets, as InetAddress takes it").isEqualTo("::1");
        assertThat(o.port()).isEqualTo(61616);
        assertThat(ConnectionOptions.parse("tmq://[2001:db8::7]").port()).isEqualTo(9494);
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://::1:61616"))
                .hasMessageContaining("'::1:61616'").hasMessageContaining("must be in brackets");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://[::1:61616"))
                .hasMessageContaining("no closing ']'");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://[::1]61616"))
                .hasMessageContaining("a ':' and the port must follow the ']'");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://[nope]:1"))
                .hasMessageContaining("'nope' between the brackets is not an IPv6 address");
    }

    @Test
    void aBadEntryOfAListIsNamed() {
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,b:x,c:3"))
                .hasMessageContaining("broker address 'b:x' is malformed").hasMessageContaining("port 'x'");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,,c:3"))
                .hasMessageContaining("broker address '' is malformed").hasMessageContaining("empty");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,"))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,b:70000"))
                .hasMessageContaining("'b:70000'").hasMessageContaining("70000 is not in 1..65535");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,:2"))
                .hasMessageContaining("':2'").hasMessageContaining("names no host");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1,b c:2"))
                .hasMessageContaining("'b c' is not a host name");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://?prefetch=1")).hasMessageContaining("names no broker");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://a:1/queue")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://user@a:1")).hasMessageContaining("malformed");
    }

    @Test
    void copiesKeepTheListAndTheReconnectSettings() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://a:1,b:2?reconnectTimeout=5000&randomize=true");
        for (ConnectionOptions copy : List.of(o.withClientId("c"), o.withCredentials("u", "p"))) {
            assertThat(copy.addresses()).containsExactly("a:1", "b:2");
            assertThat(copy.reconnect()).isEqualTo(o.reconnect());
        }
    }

    @Test
    void survivesSerialization() throws Exception {
        ConnectionOptions o = ConnectionOptions.parse("tmq://a:1,[::1]:2?reconnect=false&reconnectBackoff=3");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(o);
        }
    }

    @Test
    void tmqsUrlsCarryTheirTlsOptionsAlsoInFailoverLists() {
        ConnectionOptions o = ConnectionOptions.parse("tmqs://h1:9443,h2:9444?trustStore=/t.p12&trustStorePassword=t%26s"
                + "&keyStore=/k.p12&keyStorePassword=k-secret&keyStoreType=jks&verifyHost=false");
        assertThat(o.addresses()).containsExactly("h1:9443", "h2:9444");
        assertThat(o.tls()).isEqualTo(new TlsOptions("/t.p12", "t&s", "PKCS12", "/k.p12", "k-secret", "JKS", false));
        assertThat(o.toString()).startsWith("ConnectionOptions[tmqs://").doesNotContain("t&s").doesNotContain("k-secret");
        assertThat(o.withCredentials("u", "p").tls()).isEqualTo(o.tls());

        assertThat(ConnectionOptions.parse("TMQS://h").tls()).isEqualTo(TlsOptions.DEFAULTS);
        assertThat(ConnectionOptions.parse("tmq://h").tls()).isNull();
        assertThatThrownBy(() -> ConnectionOptions.parse("tmq://h?trustStore=/t.p12"))
                .hasMessageContaining("trustStore needs TLS").hasMessageContaining("tmqs://");
        assertThatThrownBy(() -> ConnectionOptions.parse("tmqs://h?verifyHost=maybe"))
                .hasMessageContaining("verifyHost");
    }
}
