package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Send;

/**
 * Writes frames as {@code length | type | channel | body}. A frame over the maximum size fails its write
 * with a {@link ProtocolException} ({@link ErrorCode#FRAME_TOO_LARGE}) and nothing reaches the socket.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    /** Netty's own default, ample for every frame without a message. */
    private static final int DEFAULT_CAPACITY = 256;

    private final int maxFrameSize;

    public FrameEncoder(int maxFrameSize) {
        super(Frame.class);
        if (maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("max frame size must be >= " + Protocol.HEADER_SIZE);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * A buffer big enough for the frame from the start: Netty's default (256 bytes) would grow, copying, two or
     * three times for a frame with a 1 KiB body.
     */
    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        int capacity = capacityFor(frame);
        return preferDirect ? ctx.alloc().ioBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
    }

    /**
     * A capacity that usually holds the encoded frame: the message size estimate (which counts two bytes per
     * string character, so it rarely falls short) plus room for the frame's header and fixed fields.
     */
    static int capacityFor(Frame frame) {
        int room = Protocol.HEADER_SIZE + 64;
        if (frame instanceof Send send) {
            return room + send.message().sizeEstimate();
        } else if (frame instanceof Deliver deliver) {
            return room + deliver.message().sizeEstimate();
        } else if (frame instanceof Browsed browsed) {
            long size = room;
            for (var m : browsed.messages()) {
                size += 8 + m.sizeEstimate();
            }
            return (int) Math.min(size, Integer.MAX_VALUE - 8);
        }
        return DEFAULT_CAPACITY;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        encode(frame, out, maxFrameSize);
    }

    /** Encodes one frame into {@code out}; on failure {@code out} is left as it was. */
    public static void encode(Frame frame, ByteBuf out, int maxFrameSize) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(frame.type().code());
        out.writeInt(frame.channel());
        frame.writeBody(out);
        int size = out.writerIndex() - start;
        if (size > maxFrameSize) {
            out.writerIndex(start);
            throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, frame.type() + " frame of " + size
                    + " bytes exceeds the maximum frame size of " + maxFrameSize + " bytes");
        }
        out.setInt(start, size - Protocol.LENGTH_FIELD_SIZE);
    }
}
