package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireDestination;

import java.util.List;
import java.util.Objects;

/**
 * What a consumer consumes.
 *
 * @param destination      queue or topic
 * @param selector         message selector, or null
 * @param noLocal          skip messages published on this connection (topics)
 * @param subscriptionName durable or shared subscription name, or null
 * @param durable          durable subscription
 * @param shared           shared subscription
 * @param prefetch         messages the broker may deliver ahead of the application; 0 = one per {@link EngineConsumer#pull()}
 * @param prefetchBytes    bytes ({@code WireMessage.sizeEstimate()}) the broker may deliver ahead of the application;
 *                         0 = no byte limit
 * @param seenMessageIds   JMSMessageIDs the application was handed on an earlier connection of this consumer without
 *                         the broker being sure to know (its notice or completion may have been lost with that
 *                         connection or a crashed broker): the broker counts each one it still holds as delivered
 *                         (so it comes again flagged redelivered), then opens the consumer; empty normally
 */
public record ConsumerSpec(WireDestination destination, String selector, boolean noLocal, String subscriptionName,
                           boolean durable, boolean shared, int prefetch, long prefetchBytes,
                           List<String> seenMessageIds) {

    /** A consumer opened for the first time. */
    public ConsumerSpec(WireDestination destination, String selector, boolean noLocal, String subscriptionName,
                        boolean durable, boolean shared, int prefetch, long prefetchBytes) {
        this(destination, selector, noLocal, subscriptionName, durable, shared, prefetch, prefetchBytes, List.of());
    }

    /** A consumer without a byte limit on its prefetch. */
    public ConsumerSpec(WireDestination destination, String selector, boolean noLocal, String subscriptionName,
                        boolean durable, boolean shared, int prefetch) {
        this(destination, selector, noLocal, subscriptionName, durable, shared, prefetch, 0L);
    }

    public ConsumerSpec {
        Objects.requireNonNull(destination, "destination");
        seenMessageIds = List.copyOf(seenMessageIds);
        if (prefetch < 0 || prefetchBytes < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0, was " + prefetch + " messages, "
                    + prefetchBytes + " bytes");
        }
    }

    /** This consumer re-opened after a lost connection, telling the broker which messages the application saw. */
    public ConsumerSpec withSeenMessageIds(List<String> ids) {
        return new ConsumerSpec(destination, selector, noLocal, subscriptionName, durable, shared, prefetch,
                prefetchBytes, ids);
    }

    /** A plain queue or topic consumer. */
    public static ConsumerSpec of(WireDestination destination, String selector, int prefetch) {
        return new ConsumerSpec(destination, selector, false, null, false, false, prefetch);
    }
}
