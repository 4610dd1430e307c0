package io.tunnelmq.junit;

import jakarta.jms.JMSContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The default lifecycle: one broker for the class, so a message one test leaves is there for the next. */
@EmbeddedTunnelMQ
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class PerClassLifecycleTest {
    private static TunnelMQBroker first;

    private final TunnelMQBroker broker;

    PerClassLifecycleTest(TunnelMQBroker broker) {
        this.broker = broker;
    }

    @Test
    @Order(1)
    void aTestLeavesAMessageInAQueue(JMSContext context) {
        first = broker;
        context.createProducer().send(context.createQueue("lifecycle.class"), "left behind");

        assertThat(broker.queueDepth("lifecycle.class")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextTestOfTheClassSeesIt(TunnelMQBroker injected) {
        assertThat(injected).isSameAs(first).isSameAs(broker);
        assertThat(injected.browse("lifecycle.class")).extracting(BrowsedMessage::text).containsExactly("left behind");
    }

    @Nested
    class InANestedClass {
        @Test
        void testsUseTheEnclosingClasssBroker(TunnelMQBroker injected) {
            assertThat(injected).isSameAs(broker);
            assertThat(injected.queueDepth("lifecycle.class")).isEqualTo(1);
        }
    }
}
