package io.tunnelmq.jms;

import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.Destination;
import java.io.Serializable;
import java.util.Objects;

/**
 * Base of TunnelMQ's destinations. A destination is a value: two with the same kind and name are equal.
 * Destinations are {@link Serializable}, so any JNDI tree can bind them by value.
 */
public abstract sealed class TunnelDestination implements Destination, Serializable
        permits TunnelQueue, TunnelTopic, TunnelTemporaryQueue, TunnelTemporaryTopic {
    private static final long serialVersionUID = 1L;

    private final String name;

    TunnelDestination(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a destination name must not be null or empty");
        }
        this.name = name;
    }

    /** The physical name on the broker. */
    public String getName() {
        return name;
    }

    /** The wire form of this destination. */
    public abstract WireDestination toWire();

    /** The TunnelMQ destination for a wire destination. */
    public static TunnelDestination fromWire(WireDestination d) {
        return switch (d.kind()) {
            case QUEUE -> new TunnelQueue(d.name());
            case TOPIC -> new TunnelTopic(d.name());
            case TEMPORARY_QUEUE -> new TunnelTemporaryQueue(d.name(), null);
            case TEMPORARY_TOPIC -> new TunnelTemporaryTopic(d.name(), null);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelDestination d && d.getClass() == getClass() && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getSimpleName(), name);
    }
}
