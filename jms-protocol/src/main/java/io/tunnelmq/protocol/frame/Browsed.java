package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's answer to {@link Browse}: a page of available messages, in delivery order, none of them locked.
 * A success like {@link Ok}, so it carries the free receive-buffer bytes too.
 *
 * @param freeBytes free space of the broker's receive buffer for this connection, in bytes
 * @param messages  the page; fewer than asked (possibly none) once the end of the queue was reached
 * @param last      no further matching messages were available when the page was taken
 * @param cursor    opaque: where this page ended, for the next {@link Browse} to continue from; 0 when the broker
 *                  pages by offset only (trailing optional field)
 */
public record Browsed(int channel, long requestId, long freeBytes, List<WireMessage> messages, boolean last,
                      long cursor) implements Frame {

    public Browsed {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
        messages = List.copyOf(messages);
    }

    /** A page without a cursor (the next page is asked for by offset). */
    public Browsed(int channel, long requestId, long freeBytes, List<WireMessage> messages, boolean last) {
        this(channel, requestId, freeBytes, messages, last, 0);
    }

    @Override
    public FrameType type() {
        return FrameType.BROWSED;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeLong(freeBytes);
        buf.writeBoolean(last);
        buf.writeInt(messages.size());
        for (WireMessage m : messages) {
            m.write(buf);
        }
        buf.writeLong(cursor);
    }

    static Browsed read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        long freeBytes = buf.readLong();
        boolean last = buf.readBoolean();
        int count = buf.readInt();
        if (count < 0 || count > buf.readableBytes()) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "browse page of " + count
                    + " messages exceeds the frame");
        }
        List<WireMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(WireMessage.read(buf));
        }
        return new Browsed(channel, requestId, freeBytes, messages, last, buf.isReadable() ? buf.readLong() : 0L);
    }
}
