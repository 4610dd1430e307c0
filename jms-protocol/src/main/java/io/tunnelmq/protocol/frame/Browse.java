package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.Objects;

/**
 * Asks for a page of a queue's available messages, in delivery order, without locking them (a QueueBrowser).
 * Answered by {@link Browsed}, or {@link ErrorFrame} ({@code INVALID_DESTINATION}, {@code INVALID_SELECTOR}).
 *
 * @param destination the queue (or temporary queue) to look at
 * @param selector    JMS message selector the messages must match, or null
 * @param offset      how many matching available messages to skip (the ones of earlier pages); for peers that
 *                    send no cursor
 * @param maxMessages the most messages the answer may carry, > 0
 * @param cursor      the {@link Browsed#cursor()} of the previous page: the page continues right after it (then
 *                    {@code offset} is ignored); 0 for the first page or a peer that pages by offset (trailing
 *                    optional field)
 */
public record Browse(int channel, long requestId, WireDestination destination, String selector, int offset,
                     int maxMessages, long cursor) implements Frame {

    public Browse {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        Objects.requireNonNull(destination, "destination");
        if (offset < 0 || maxMessages <= 0) {
            throw new IllegalArgumentException("browse needs offset >= 0 and maxMessages > 0, was " + offset + ", "
                    + maxMessages);
        }
    }

    /** A browse that pages by offset (no cursor). */
    public Browse(int channel, long requestId, WireDestination destination, String selector, int offset,
                  int maxMessages) {
        this(channel, requestId, destination, selector, offset, maxMessages, 0);
    }

    @Override
    public FrameType type() {
        return FrameType.BROWSE;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        destination.write(buf);
        Wire.writeString(buf, selector);
        buf.writeInt(offset);
        buf.writeInt(maxMessages);
        buf.writeLong(cursor);
    }

    static Browse read(int channel, ByteBuf buf) {
        return new Browse(channel, buf.readLong(), WireDestination.read(buf), Wire.readString(buf), buf.readInt(),
                buf.readInt(), buf.isReadable() ? buf.readLong() : 0L);
    }
}
