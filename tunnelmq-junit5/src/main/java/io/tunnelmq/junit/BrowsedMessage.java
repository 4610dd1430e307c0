package io.tunnelmq.junit;

import java.util.Map;

/**
 * A message seen by {@link TunnelMQBroker#browse(String)}: what a test usually asserts on.
 *
 * @param messageId  its {@code JMSMessageID}
 * @param text       the body of a {@code TextMessage}; null for other message types and for an empty body
 * @param properties its properties, JMS-defined ones included (a dead letter carries {@code JMS_TMQ_DeadLetterReason},
 *                   {@code JMS_TMQ_OriginalDestination} and {@code JMS_TMQ_DeliveryCount})
 */
public record BrowsedMessage(String messageId, String text, Map<String, Object> properties) {

    public BrowsedMessage {
        properties = Map.copyOf(properties);
    }
}
