package io.tunnelmq.protocol.frame;

import io.tunnelmq.protocol.Protocol;

/** Argument checks shared by the frame records' constructors. */
final class Frames {
    private Frames() {
    }

    static void requireSessionChannel(int channel) {
        if (channel <= Protocol.CONTROL_CHANNEL) {
            throw new IllegalArgumentException("session frames need a channel > 0, was " + channel);
        }
    }

    static void requireChannel(int channel) {
        if (channel < 0) {
            throw new IllegalArgumentException("channel must be >= 0, was " + channel);
        }
    }

    static void requireRequestId(long requestId) {
        if (requestId <= 0) {
            throw new IllegalArgumentException("request id must be > 0, was " + requestId);
        }
    }

    static void requireConsumerId(int consumerId) {
        if (consumerId <= 0) {
            throw new IllegalArgumentException("consumer id must be > 0, was " + consumerId);
        }
    }

    static void requireTemporary(io.tunnelmq.protocol.message.WireDestination destination) {
        java.util.Objects.requireNonNull(destination, "destination");
        if (!destination.kind().isTemporary()) {
            throw new IllegalArgumentException("a temporary destination is needed, was " + destination);
        }
    }
}
