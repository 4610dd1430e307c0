package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.failover.FailoverOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jakarta.jms.JMSException;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ConnectionSettingsTest {

    @Test
    void theFailoverLayerGetsTheListAndTheReconnectSettings() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://a:1,[::1]:2,c?randomize=true&reconnectTimeout=0"
                + "&reconnectDelay=20&reconnectBackoff=1.5&reconnectMaxDelay=900");
        assertThat(ConnectionSettings.forFailover(o))
                .isEqualTo(new FailoverOptions(java.util.List.of("a:1", "[::1]:2", "c:9494"), true, 0, 20, 1.5, 900));
        assertThat(ConnectionSettings.forEngine(o).host()).as("the first broker").isEqualTo("a");
        assertThat(ConnectionSettings.forEngine(o).port()).isEqualTo(1);
    }

    @Test
    void withoutReconnectABlockingCallWaitsAsLongAsTheEngineDoes() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://h:1?reconnect=false&requestTimeout=2000&sendTimeout=3000"
                + "&connectTimeout=4000");
        assertThat(ConnectionSettings.requestWaitMillis(o)).isEqualTo(2_000);
        assertThat(ConnectionSettings.sendWaitMillis(o)).isEqualTo(5_000);
        assertThat(ConnectionSettings.connectWaitMillis(o)).isEqualTo(5_000);
    }

    @Test
    void whileReconnectingACallMayWaitForTheReconnectToo() {
        ConnectionOptions o = ConnectionOptions.parse("tmq://h:1,h:2?requestTimeout=2000&sendTimeout=3000"
                + "&connectTimeout=4000&reconnectTimeout=10000");
        // the live bound, the reconnect timeout, the last attempt's connect and a grace second
        assertThat(ConnectionSettings.requestWaitMillis(o)).isEqualTo(2_000 + 10_000 + 4_000 + 1_000);
        assertThat(ConnectionSettings.sendWaitMillis(o)).isEqualTo(5_000 + 10_000 + 4_000 + 1_000);
        assertThat(ConnectionSettings.connectWaitMillis(o)).isEqualTo(2 * 4_000 + 1_000 + 10_000 + 4_000 + 1_000);
    }

    @Test
    void reconnectingForeverLeavesTheBoundToTheLayersBelow() throws Exception {
        ConnectionOptions o = ConnectionOptions.parse("tmq://h:1?reconnectTimeout=0");
        assertThat(ConnectionSettings.requestWaitMillis(o)).isEqualTo(ConnectionSettings.NO_BOUND);
        assertThat(ConnectionSettings.sendWaitMillis(o)).isEqualTo(ConnectionSettings.NO_BOUND);
        CompletableFuture<String> later = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> later.complete("done"));
        assertThat(Await.result(later, ConnectionSettings.NO_BOUND, "waiting")).isEqualTo("done");
        assertThatThrownBy(() -> Await.result(new CompletableFuture<>(), 50, "waiting"))
                .isInstanceOf(JMSException.class).hasMessageContaining("within 50 ms");
    }
}
