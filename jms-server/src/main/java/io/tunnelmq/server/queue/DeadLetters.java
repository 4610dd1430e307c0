package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The properties a dead-lettered message carries, and how it is readdressed to its dead-letter queue. */
public final class DeadLetters {
    /** String property: why the message was dead-lettered. */
    public static final String REASON = "JMS_TMQ_DeadLetterReason";
    /** String property: the destination the message was taken from. */
    public static final String ORIGINAL_DESTINATION = "JMS_TMQ_OriginalDestination";
    /** Integer property: the message's delivery count when it was dead-lettered. */
    public static final String DELIVERY_COUNT = "JMS_TMQ_DeliveryCount";
    /** Reason used when a client dead-letters a message without giving one. */
    public static final String DEFAULT_CLIENT_REASON = "DeadLetteredByClient";
    /** Prefix of dead-letter queue names: {@code DLQ.<queue>}. */
    public static final String QUEUE_PREFIX = "DLQ.";

    private DeadLetters() {
    }

    /** The dead-letter queue of a queue or topic. */
    public static String queueFor(String destinationName) {
        return QUEUE_PREFIX + destinationName;
    }

    /** The reason given when a message ran out of deliveries. */
    public static String maxDeliveryCountExceeded(int deliveryCount) {
        return "MaxDeliveryCountExceeded: delivered " + deliveryCount + " times";
    }

    /** A copy of {@code message} addressed to {@code deadLetterQueue}, carrying the reason properties. */
    static WireMessage readdress(WireMessage message, String deadLetterQueue, String reason, int deliveryCount) {
        Map<String, Object> properties = new LinkedHashMap<>(message.properties());
        properties.put(REASON, reason);
        properties.put(ORIGINAL_DESTINATION, message.destination().name());
        properties.put(DELIVERY_COUNT, deliveryCount);
        return message.withDestination(WireDestination.queue(deadLetterQueue))
                .withProperties(Collections.unmodifiableMap(properties));
    }
}
