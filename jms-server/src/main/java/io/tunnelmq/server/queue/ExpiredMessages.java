package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What becomes of a message whose JMSExpiration has passed: it is never delivered; it is dropped, or moved to the
 * broker's expiry queue (when one is configured) with its origin recorded and its expiration cleared, so it stays
 * there for an operator to look at.
 */
public final class ExpiredMessages {
    /** String property: the destination an expired message was taken from. */
    public static final String ORIGINAL_DESTINATION = DeadLetters.ORIGINAL_DESTINATION;
    /** Long property: the JMSExpiration the message had. */
    public static final String ORIGINAL_EXPIRATION = "JMS_TMQ_OriginalExpiration";
    /** Sweeps for expired messages run at most this often per queue. */
    static final long MIN_SWEEP_INTERVAL_MILLIS = 1_000;

    private ExpiredMessages() {
    }

    /**
     * Takes every expired message out of {@code messages} and hands it to {@code expired}.
     *
     * @return how many were taken out
     */
    static int removeExpired(Collection<QueuedMessage> messages, long now, Consumer<QueuedMessage> expired) {
        int before = messages.size();
        messages.removeIf(m -> {
            if (!m.hasExpired(now)) {
                return false;
            }
            expired.accept(m);
            return true;
        });
        return before - messages.size();
    }

    /** The earliest JMSExpiration among these messages; {@link Long#MAX_VALUE} if none of them expires. */
    static long earliestExpiration(Iterable<QueuedMessage> messages) {
        long earliest = Long.MAX_VALUE;
        for (QueuedMessage m : messages) {
            if (m.expiration != 0) {
                earliest = Math.min(earliest, m.expiration);
            }
        }
        return earliest;
    }

    /** A copy for the expiry queue: addressed there, not expiring, carrying where it came from. */
    static WireMessage forExpiryQueue(WireMessage message, String expiryQueue) {
        Map<String, Object> properties = new LinkedHashMap<>(message.properties());
        properties.put(ORIGINAL_DESTINATION, message.destination().name());
        properties.put(ORIGINAL_EXPIRATION, message.expiration());
        WireMessage readdressed = message.withDestination(WireDestination.queue(expiryQueue))
                .withProperties(Collections.unmodifiableMap(properties));
        return new WireMessage(readdressed.destination(), readdressed.messageId(), readdressed.timestamp(),
                readdressed.correlationId(), readdressed.replyTo(), readdressed.type(), readdressed.persistent(),
                readdressed.priority(), 0, 0, readdressed.properties(), readdressed.bodyType(), readdressed.body());
    }
}
