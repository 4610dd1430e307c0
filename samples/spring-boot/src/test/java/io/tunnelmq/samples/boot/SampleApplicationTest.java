package io.tunnelmq.samples.boot;

import io.tunnelmq.samples.boot.Deliveries.Delivery;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample application as it is, on the embedded broker; Boot's dependency management, no overrides. */
@SpringBootTest(properties = "tunnelmq.embedded.enabled=true")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SampleApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    OrderSender sender;
    @Autowired
    Deliveries deliveries;
    @Autowired
    EmbeddedBroker broker;

    @Test
    void anOrderSentWithJmsTemplateReachesTheJmsListener() throws Exception {
        sender.placeOrder("order-1");
        Delivery delivery = deliveries.next(SampleApplication.ORDERS, WAIT);
        assertThat(delivery).isEqualTo(new Delivery("order-1", false, 1));
        assertDrained(SampleApplication.ORDERS);
    }

    @Test
    void aTransactedListenerThatThrowsGetsTheMessageAgainRedelivered() throws Exception {
        sender.pay("payment-1");
        assertThat(deliveries.next(SampleApplication.PAYMENTS, WAIT)).isEqualTo(new Delivery("payment-1", false, 1));
        assertThat(deliveries.next(SampleApplication.PAYMENTS, WAIT)).isEqualTo(new Delivery("payment-1", true, 2));
        assertDrained(SampleApplication.PAYMENTS);
        assertThat(deliveries.next(SampleApplication.PAYMENTS, Duration.ofMillis(300))).as("committed").isNull();
    }

    @Test
    void aClientAcknowledgeListenerThatThrowsGetsTheMessageAgainAndAcknowledgesIt() throws Exception {
        sender.audit("entry-1");
        assertThat(deliveries.next(SampleApplication.AUDIT, WAIT)).isEqualTo(new Delivery("entry-1", false, 1));
        assertThat(deliveries.next(SampleApplication.AUDIT, WAIT)).isEqualTo(new Delivery("entry-1", true, 2));
        assertDrained(SampleApplication.AUDIT);
        assertThat(deliveries.next(SampleApplication.AUDIT, Duration.ofMillis(300))).as("acknowledged").isNull();
    }

    @Test
    void clientAndBrokerRunOnTheNetty41ThatBootPins() {
        assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion()).startsWith("4.1.");
        assertThat(broker.connectionCount()).as("the listener containers are connected").isPositive();
    }

    /** Waits until the broker holds no message of the queue: the last delivery was completed (committed, acked). */
    private void assertDrained(String queue) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (broker.queueDepth(queue) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(broker.queueDepth(queue)).as("messages left on %s", queue).isZero();
    }
}
