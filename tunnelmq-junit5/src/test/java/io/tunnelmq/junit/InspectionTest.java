package io.tunnelmq.junit;

import io.tunnelmq.server.queue.DeadLetters;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.junit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The helpers report the traffic a test made: depth, browse (texts and ids), dead letters; attributes reach the broker. */
@EmbeddedTunnelMQ(maxDeliveryCount = 2, lockDurationMillis = 7_000)
@Timeout(30)
class InspectionTest {

    @Test
    void depthAndBrowseShowWhatWasSentWithoutTakingIt(JMSContext context, TunnelMQBroker broker) throws Exception {
        Queue queue = context.createQueue("inspect.sent");
        JMSProducer producer = context.createProducer();
        List<String> ids = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            TextMessage message = context.createTextMessage(text);
            producer.send(queue, message);
            ids.add(message.getJMSMessageID());
        }

        assertThat(broker.queueDepth("inspect.sent")).isEqualTo(3);
        List<BrowsedMessage> browsed = broker.browse("inspect.sent");
        assertThat(browsed).extracting(BrowsedMessage::text).containsExactly("one", "two", "three");
        assertThat(browsed).extracting(BrowsedMessage::messageId).containsExactlyElementsOf(ids);
        assertThat(broker.queueDepth("inspect.sent")).as("browsing takes nothing").isEqualTo(3);
    }

    @Test
    void aDeliveredButUnsettledMessageIsCountedAndBrowsed(TunnelMQBroker broker) {
        try (JMSContext context = broker.connectionFactory().createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("inspect.locked");
            context.createProducer().send(queue, "taken").send(queue, "waiting");
            assertThat(context.createConsumer(queue).receiveBody(String.class, 5_000)).isEqualTo("taken");

            assertThat(broker.queueStats("inspect.locked").locked()).isPositive();
            assertThat(broker.queueDepth("inspect.locked")).isEqualTo(2);
            assertThat(broker.browse("inspect.locked")).extracting(BrowsedMessage::text)
                    .containsExactly("taken", "waiting");
        }
    }

    @Test
    void aQueueThatWasNeverUsedIsEmpty(TunnelMQBroker broker) {
        assertThat(broker.queueDepth("inspect.never")).isZero();
        assertThat(broker.browse("inspect.never")).isEmpty();
        assertThat(broker.deadLetters("inspect.never")).isEmpty();
    }

    @Test
    void aMessageRolledBackMaxDeliveryCountTimesIsADeadLetter(TunnelMQBroker broker) throws Exception {
        try (JMSContext transacted = broker.connectionFactory().createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = transacted.createQueue("inspect.poison");
            transacted.createProducer().send(queue, "poison");
            transacted.commit();
            var consumer = transacted.createConsumer(queue);
            for (int delivery = 1; delivery <= 2; delivery++) {
                Message received = consumer.receive(5_000);
                assertThat(received).as("delivery %d", delivery).isNotNull();
                transacted.rollback();
            }
        }

        eventually("the poison message is in DLQ.inspect.poison", Duration.ofSeconds(10),
                () -> broker.queueDepth("DLQ.inspect.poison") == 1);
        List<BrowsedMessage> deadLetters = broker.deadLetters("inspect.poison");
        assertThat(deadLetters).extracting(BrowsedMessage::text).containsExactly("poison");
        assertThat(deadLetters.get(0).properties()).containsEntry(DeadLetters.ORIGINAL_DESTINATION, "inspect.poison");
        assertThat(broker.queueDepth("inspect.poison")).isZero();
    }

    @Test
    void annotationAttributesConfigureTheBroker(TunnelMQBroker broker) {
        assertThat(broker.embeddedBroker().config().lockDurationMillis()).isEqualTo(7_000);
        assertThat(broker.embeddedBroker().config().maxDeliveryCount()).isEqualTo(2);
    }
}
