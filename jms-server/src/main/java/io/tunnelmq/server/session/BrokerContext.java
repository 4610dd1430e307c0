package io.tunnelmq.server.session;

import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.security.AccessControl;
import io.tunnelmq.server.security.PeerLimits;

import java.util.Objects;

/**
 * What every client connection of a broker shares.
 *
 * @param destinations       the broker's queues and topics
 * @param memory             the broker-wide memory account
 * @param receiveBufferBytes each connection's receive buffer: the most a client may have in flight
 * @param maxFrameSize       the largest frame the broker sends or accepts (limits the size of a message)
 * @param counters           broker-wide event counts for monitoring
 * @param access             who may do what with which destination ({@link AccessControl#open()}: everyone anything)
 * @param limits             what one connection may hold (sessions, consumers, temporary destinations)
 */
public record BrokerContext(DestinationRegistry destinations, MemoryTracker memory, long receiveBufferBytes,
                            int maxFrameSize, BrokerCounters counters, AccessControl access, PeerLimits limits) {

    /** A context with the default limits. */
    public BrokerContext(DestinationRegistry destinations, MemoryTracker memory, long receiveBufferBytes,
                         int maxFrameSize, BrokerCounters counters, AccessControl access) {
        this(destinations, memory, receiveBufferBytes, maxFrameSize, counters, access, PeerLimits.DEFAULTS);
    }

    /** A context that checks no permissions. */
    public BrokerContext(DestinationRegistry destinations, MemoryTracker memory, long receiveBufferBytes,
                         int maxFrameSize, BrokerCounters counters) {
        this(destinations, memory, receiveBufferBytes, maxFrameSize, counters, AccessControl.open());
    }

    /** A context whose counts nobody reads. */
    public BrokerContext(DestinationRegistry destinations, MemoryTracker memory, long receiveBufferBytes,
                         int maxFrameSize) {
        this(destinations, memory, receiveBufferBytes, maxFrameSize, new BrokerCounters());
    }

    public BrokerContext {
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(limits, "limits");
        if (receiveBufferBytes <= 0) {
            throw new IllegalArgumentException("receive buffer must be > 0 bytes, was " + receiveBufferBytes);
        }
        if (maxFrameSize < 4096) {
            // below this a message would have no room next to the delivery headers
            throw new IllegalArgumentException("max frame size must be >= 4096 bytes, was " + maxFrameSize);
        }
    }
}
