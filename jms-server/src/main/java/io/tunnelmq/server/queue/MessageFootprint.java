package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Map;

/**
 * What holding a message really costs the broker's heap, for the memory limits: the body array and every object
 * around it (the queue's bookkeeping, the message record, its destination, strings and property map), not just
 * the wire-size estimate. Errs on the generous side (strings are counted as two bytes a character), so the limit
 * holds on a heap that is close to full; for small messages the overhead is most of the cost.
 */
public final class MessageFootprint {
    /** Object headers and alignment of a byte[] or String value array. */
    private static final int ARRAY = 16;
    /** A String object besides its value array. */
    private static final int STRING = 24 + ARRAY;
    /**
     * The queue's entry (QueuedMessage, its slot in the available set or the locked map, its entry in the index by
     * message id while one is kept) and the WireMessage.
     */
    private static final int HELD_MESSAGE = 96 + 48 + 40 + 80;
    /** A WireDestination besides its name. */
    private static final int DESTINATION = 16;
    /** A property map besides its entries (LinkedHashMap, table, unmodifiable wrapper). */
    private static final int PROPERTY_MAP = 128;
    /** One map entry besides its key and value. */
    private static final int PROPERTY_ENTRY = 48;
    /** A boxed number or boolean. */
    private static final int BOXED = 24;

    private MessageFootprint() {
    }

    /**
     * Estimated heap bytes a paged-out message occupies: its queue entry (with the fields a paged-out message keeps)
     * and its id.
     */
    static long pagedOut(String messageId) {
        return HELD_MESSAGE + string(messageId);
    }

    /** Estimated heap bytes a held message occupies. */
    public static long of(WireMessage m) {
        long bytes = HELD_MESSAGE + destination(m.destination()) + string(m.messageId()) + string(m.correlationId())
                + string(m.type()) + (m.replyTo() == null ? 0 : destination(m.replyTo()));
        Map<String, Object> properties = m.properties();
        if (!properties.isEmpty()) {
            bytes += PROPERTY_MAP;
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                Object v = e.getValue();
                bytes += PROPERTY_ENTRY + string(e.getKey())
                        + (v instanceof String s ? string(s) : v instanceof byte[] b ? array(b.length) : BOXED);
            }
        }
        return bytes + (m.body() == null ? 0 : array(m.body().length));
    }

    private static long destination(WireDestination d) {
        return DESTINATION + string(d.name());
    }

    private static long string(String s) {
        return s == null ? 0 : STRING + align(2L * s.length());
    }

    private static long array(int length) {
        return ARRAY + align(length);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
