package io.tunnelmq.jms.message;

import io.tunnelmq.jms.TunnelDestination;
import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTemporaryQueue;
import io.tunnelmq.jms.TunnelTemporaryTopic;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.function.Function;

/**
 * TunnelMQ's destinations to and from their wire form. Kept here rather than on the destination classes, so the
 * public API shows applications no wire type.
 */
public final class WireDestinations {
    /** The destination made lately for a wire destination ({@link #recent}); a power of two in size. */
    private static final Recent[] RECENT = new Recent[256];

    private record Recent(WireDestination wire, TunnelDestination destination) {
    }

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

    /**
     * The queue or topic for {@code d}, the one made last for it when its slot still holds it: the decoder gives a
     * consumer's deliveries one shared {@link WireDestination}, so they share one immutable destination object too
     * instead of making one each.
     */
    private static TunnelDestination recent(WireDestination d, Function<String, TunnelDestination> make) {
        int slot = d.name().hashCode() & (RECENT.length - 1);
        Recent r = RECENT[slot];
        if (r == null || r.wire != d) { // the same record, not an equal one: a hit costs no comparison of names
            r = new Recent(d, make.apply(d.name()));
            RECENT[slot] = r;
        }
        return r.destination;
    }

    /** The TunnelMQ destination for a wire destination (a temporary one is a copy that cannot delete it). */
    public static TunnelDestination fromWire(WireDestination d) {
        return switch (d.kind()) {
            case QUEUE -> recent(d, TunnelQueue::new);
            case TOPIC -> recent(d, TunnelTopic::new);
            case TEMPORARY_QUEUE -> new TunnelTemporaryQueue(d.name(), null);
            case TEMPORARY_TOPIC -> new TunnelTemporaryTopic(d.name(), null);
        };
    }
}
