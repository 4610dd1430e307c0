package io.tunnelmq.protocol.message;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

import java.util.Objects;

/** A destination as the wire names it: its kind and its physical name. */
public record WireDestination(Kind kind, String name) {

    /**
     * How the name of every temporary destination begins, and of no other: queues and topics share one name space
     * in the broker with the temporary ones, so a name must say which it is (the broker refuses a temporary
     * destination named otherwise, and a queue or topic named so).
     */
    public static final String TEMPORARY_PREFIX = "tmp.";

    /** The destinations decoded lately ({@link #recent}); a power of two in size. */
    private static final WireDestination[] RECENT = new WireDestination[256];

    /** The four kinds of JMS destination. The codes are wire numbers. */
    public enum Kind {
        QUEUE(1), TOPIC(2), TEMPORARY_QUEUE(3), TEMPORARY_TOPIC(4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public boolean isQueue() {
            return this == QUEUE || this == TEMPORARY_QUEUE;
        }

        public boolean isTemporary() {
            return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
        }

        /** {@code values()} once: it copies the array on every call, and this runs per decoded frame. */
        private static final Kind[] ALL = values();

        public static Kind of(int code) {
            for (Kind k : ALL) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown destination kind " + code);
        }
    }

    public WireDestination {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a destination needs a non-empty name");
        }
    }

    /** Whether its name is one a destination of its kind may have ({@link #TEMPORARY_PREFIX}). */
    public boolean isNamedForItsKind() {
        return kind.isTemporary() == name.startsWith(TEMPORARY_PREFIX);
    }

    public static WireDestination queue(String name) {
        return new WireDestination(Kind.QUEUE, name);
    }

    public static WireDestination topic(String name) {
        return new WireDestination(Kind.TOPIC, name);
    }

    public void write(ByteBuf buf) {
        buf.writeByte(kind.code());
        Wire.writeString(buf, name);
    }

    public static WireDestination read(ByteBuf buf) {
        Kind kind = Kind.of(buf.readByte());
        String name = Wire.readName(buf);
        if (name == null || name.isEmpty()) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "destination without a name");
        }
        return recent(kind, name);
    }

    /**
     * The destination of this kind and name, the one decoded last when its slot still holds it: {@link Wire#readName}
     * gives the same String for the same name, so a consumer's deliveries (or a producer's sends, on the broker) share
     * one record instead of making one each. The records are immutable, so the table needs no lock.
     */
    private static WireDestination recent(Kind kind, String name) {
        int slot = (name.hashCode() * 4 + kind.ordinal()) & (RECENT.length - 1);
        WireDestination d = RECENT[slot];
        if (d == null || d.name != name || d.kind != kind) { // the same String, not an equal one: a table hit
            d = new WireDestination(kind, name);
            RECENT[slot] = d;
        }
        return d;
    }

    /** Writes a destination that may be absent. */
    public static void writeNullable(ByteBuf buf, WireDestination d) {
        if (d == null) {
            buf.writeByte(0);
        } else {
            d.write(buf);
        }
    }

    public static WireDestination readNullable(ByteBuf buf) {
        if (buf.getByte(buf.readerIndex()) == 0) {
            buf.skipBytes(1);
            return null;
        }
        return read(buf);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + PeerText.of(name); // a client chose it
    }
}
