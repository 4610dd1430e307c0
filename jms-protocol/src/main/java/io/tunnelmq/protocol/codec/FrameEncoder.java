package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;

/**
 * Writes frames as {@code length | type | channel | body}. A frame over the maximum size fails its write
 * with a {@link ProtocolException} ({@link ErrorCode#FRAME_TOO_LARGE}) and nothing reaches the socket.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    private final int maxFrameSize;

    public FrameEncoder(int maxFrameSize) {
        super(Frame.class);
        if (maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("max frame size must be >= " + Protocol.HEADER_SIZE);
        }
        this.maxFrameSize = maxFrameSize;
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
