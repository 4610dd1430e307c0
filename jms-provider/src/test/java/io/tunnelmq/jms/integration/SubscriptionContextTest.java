package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.Enumeration;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscriptions, temporary queues and browsers through JMSContext, with its runtime exceptions. */
@Timeout(60)
class SubscriptionContextTest {
    private static final long WAIT = 5_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void durableConsumersAndUnsubscribeThroughAContext() {
        try (JMSContext context = factory.createContext(); JMSContext publisher = factory.createContext()) {
            assertThatThrownBy(() -> publisher.createDurableConsumer(publisher.createTopic("t"), "sub"))
                    .as("no client ID").isInstanceOf(IllegalStateRuntimeException.class);
            context.setClientID("context-client");
            Topic topic = context.createTopic("t");
            JMSConsumer consumer = context.createDurableConsumer(topic, "sub");
            assertThatThrownBy(() -> context.unsubscribe("sub")).isInstanceOf(IllegalStateRuntimeException.class);
            consumer.close();
            publisher.createProducer().send(topic, "kept for the subscription");
            assertThat(context.createDurableConsumer(topic, "sub").receiveBody(String.class, WAIT))
                    .isEqualTo("kept for the subscription");
            assertThatThrownBy(() -> context.unsubscribe("unknown"))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createSharedDurableConsumer(topic, "sub"))
                    .isInstanceOf(JMSRuntimeException.class);
        }
    }

    @Test
    void temporaryQueuesAndBrowsersThroughAContext() throws Exception {
        try (JMSContext context = factory.createContext()) {
            TemporaryQueue temp = context.createTemporaryQueue();
            context.createProducer().send(temp, "one").send(temp, "two");
            QueueBrowser browser = context.createBrowser(temp);
            Enumeration<?> e = browser.getEnumeration();
            assertThat(Collections.list(e)).hasSize(2);
            assertThat(e.hasMoreElements()).isFalse();
            assertThatThrownBy(e::nextElement).isInstanceOf(NoSuchElementException.class);
            assertThat(context.createConsumer(temp).receiveBody(String.class, WAIT)).isEqualTo("one");
        }
    }
}
