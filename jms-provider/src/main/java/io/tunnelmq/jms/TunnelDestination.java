package io.tunnelmq.jms;

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

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelDestination d && d.getClass() == getClass() && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getSimpleName(), name);
    }
}
