package io.tunnelmq.server;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much heap the messages of one queue (or of one topic's subscriptions, each) may hold before producers to
 * it are held back by their send window. 0 = the broker's memory limit.
 *
 * @param defaultMaxBytes  the limit of every queue without its own
 * @param maxBytes         limits of particular queues
 * @param consumerLagBytes the most a queue may hold while it has a consumer that takes every message (one
 *                         without a selector), if lower than its limit: producers faster than the consumers are
 *                         held to their pace instead of burying them under a backlog; 0 = no such limit
 *                         (default 8 MiB)
 */
public record QueueMemoryLimits(long defaultMaxBytes, Map<String, Long> maxBytes, long consumerLagBytes) {
    /** The default consumer lag limit. */
    public static final long DEFAULT_CONSUMER_LAG_BYTES = 8L * 1024 * 1024;
    /** No per-queue limits (every queue may use the broker's whole memory limit), the default consumer lag. */
    public static final QueueMemoryLimits NONE = new QueueMemoryLimits(0, Map.of());

    /** Limits with the default consumer lag limit. */
    public QueueMemoryLimits(long defaultMaxBytes, Map<String, Long> maxBytes) {
        this(defaultMaxBytes, maxBytes, DEFAULT_CONSUMER_LAG_BYTES);
    }

    public QueueMemoryLimits {
        if (defaultMaxBytes < 0) {
            throw new IllegalArgumentException("queueMaxBytes must be >= 0 (0 = the memory limit), was "
                    + defaultMaxBytes);
        }
        if (consumerLagBytes < 0) {
            throw new IllegalArgumentException("consumerLagBytes must be >= 0 (0 = no limit), was "
                    + consumerLagBytes);
        }
        maxBytes = Map.copyOf(maxBytes == null ? Map.of() : maxBytes);
        maxBytes.forEach((queue, limit) -> {
            if (limit <= 0) {
                throw new IllegalArgumentException("queue." + queue + ".maxBytes must be > 0, was " + limit);
            }
        });
    }

    /** These limits with {@code bytes} for every queue without its own. */
    public QueueMemoryLimits withDefaultMaxBytes(long bytes) {
        return new QueueMemoryLimits(bytes, maxBytes, consumerLagBytes);
    }

    /** These limits with {@code bytes} as the consumer lag limit. */
    public QueueMemoryLimits withConsumerLagBytes(long bytes) {
        return new QueueMemoryLimits(defaultMaxBytes, maxBytes, bytes);
    }

    /** These limits with {@code bytes} as the limit of {@code queue}. */
    public QueueMemoryLimits withMaxBytes(String queue, long bytes) {
        if (queue == null || queue.isEmpty()) {
            throw new IllegalArgumentException("queue name must not be empty");
        }
        Map<String, Long> limits = new TreeMap<>(maxBytes);
        limits.put(queue, bytes);
        return new QueueMemoryLimits(defaultMaxBytes, limits, consumerLagBytes);
    }

    /** The limit of a queue; 0 = the broker's memory limit. */
    public long of(String queue) {
        return maxBytes.getOrDefault(queue, defaultMaxBytes);
    }
}
