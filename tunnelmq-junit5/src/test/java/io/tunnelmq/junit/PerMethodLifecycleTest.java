package io.tunnelmq.junit;

import jakarta.jms.JMSContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lifecycle = PER_METHOD}: every test has a broker of its own and starts with empty queues. */
@EmbeddedTunnelMQ(lifecycle = EmbeddedTunnelMQ.Lifecycle.PER_METHOD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class PerMethodLifecycleTest {
    private static TunnelMQBroker first;

    @Test
    @Order(1)
    void aTestLeavesAMessageInAQueue(JMSContext context, TunnelMQBroker broker) {
        first = broker;
        context.createProducer().send(context.createQueue("lifecycle.method"), "left behind");

        assertThat(broker.queueDepth("lifecycle.method")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextTestHasAFreshBrokerWithoutIt(JMSContext context, TunnelMQBroker broker) {
        assertThat(broker).isNotSameAs(first);
        assertThat(BrokerStopsTest.accepts(first.embeddedBroker().port())).as("the first test's broker is up").isFalse();
        assertThat(broker.queueDepth("lifecycle.method")).isZero();
        assertThat(broker.browse("lifecycle.method")).isEmpty();

        context.createProducer().send(context.createQueue("lifecycle.method"), "fresh");
        assertThat(broker.queueDepth("lifecycle.method")).isEqualTo(1);
    }
}
