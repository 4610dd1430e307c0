package io.tunnelmq.jms.message;

import io.tunnelmq.jms.TunnelDestination;
import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTemporaryQueue;
import io.tunnelmq.jms.TunnelTemporaryTopic;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.protocol.message.WireDestination;

/**
 * TunnelMQ's destinations to and from their wire form. Kept here rather than on the destination classes, so the
 * public API shows applications no wire type.
 */
public final class WireDestinations {
    private WireDestinations() {
    }

    /** The wire form of a TunnelMQ destination. */
    public static WireDestination toWire(TunnelDestination d) {
        // TunnelDestination is sealed to exactly these four
        WireDestination.Kind kind;
        if (d instanceof TunnelQueue) {
            kind = WireDestination.Kind.QUEUE;
        } else if (d instanceof TunnelTopic) {
            kind = WireDestination.Kind.TOPIC;
        } else if (d instanceof TunnelTemporaryQueue) {
            kind = WireDestination.Kind.TEMPORARY_QUEUE;
        } else if (d instanceof TunnelTemporaryTopic) {
            kind = WireDestination.Kind.TEMPORARY_TOPIC;
        } else {
            throw new IllegalArgumentException("unknown kind of destination: " + d);
        }
        return new WireDestination(kind, d.getName());
    }

    /** The TunnelMQ destination for a wire destination (a temporary one is a copy that cannot delete it). */
    public static TunnelDestination fromWire(WireDestination d) {
        return switch (d.kind()) {
            case QUEUE -> new TunnelQueue(d.name());
            case TOPIC -> new TunnelTopic(d.name());
            case TEMPORARY_QUEUE -> new TunnelTemporaryQueue(d.name(), null);
            case TEMPORARY_TOPIC -> new TunnelTemporaryTopic(d.name(), null);
        };
    }
}
