package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.FrameType;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads frames. Any violation — a length out of bounds, an unknown type, a frame on the wrong kind of
 * channel, a body that does not parse or has bytes left over — raises a {@link ProtocolException} with the
 * matching {@link ErrorCode}; after that the decoder discards all further input, since the stream can no
 * longer be trusted and the connection is about to close.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** How often a connection waiting for its {@link FrameBudget} asks again. */
    static final long BUDGET_RETRY_MILLIS = 5;

    private int maxFrameSize;
    private boolean failed;
    private FrameBudget budget;
    /** Bytes reserved in {@link #budget} for the frame being received; 0 when none. */
    private int reserved;
    private boolean waitingForBudget;

    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = checked(maxFrameSize);
    }

    /**
     * Changes the largest frame accepted from now on (call it on the channel's event loop). A broker starts a
     * connection with a small limit, so that a peer that has not logged in cannot make it buffer much, and raises it
     * once the peer is in. The check is on the announced length, so no frame's bytes are held beyond the limit;
     * bytes are buffered only as they arrive, never reserved for the announced length.
     */
    public void maxFrameSize(int bytes) {
        this.maxFrameSize = checked(bytes);
    }

    /**
     * Makes large frames reserve their length in {@code budget} before they are buffered (call it on the channel's
     * event loop; a broker does it at login, with the full-sized frame limit).
     */
    public void budget(FrameBudget budget) {
        this.budget = budget;
    }

    private static int checked(int maxFrameSize) {
        if (maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("max frame size must be >= " + Protocol.HEADER_SIZE);
        }
        return maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (waitingForBudget || !reserveFor(ctx, in)) {
                return; // reads stopped; the retry decodes what is buffered
            }
            Frame frame = decode(in, maxFrameSize);
            if (frame != null) {
                releaseReserved();
                out.add(frame);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /**
     * Reserves the next frame's length in the budget if it is large and not reserved yet. When the budget is spent,
     * stops reading and asks again shortly.
     *
     * @return false when the frame must wait for budget
     */
    private boolean reserveFor(ChannelHandlerContext ctx, ByteBuf in) {
        if (budget == null || reserved != 0 || in.readableBytes() < Protocol.LENGTH_FIELD_SIZE) {
            return true;
        }
        long frameBytes = in.getInt(in.readerIndex()) + (long) Protocol.LENGTH_FIELD_SIZE;
        if (frameBytes <= budget.smallFrameBytes() || frameBytes > maxFrameSize) {
            return true; // small, or refused by decode() at once
        }
        if (budget.tryReserve((int) frameBytes)) {
            reserved = (int) frameBytes;
            return true;
        }
        waitingForBudget = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> retry(ctx), BUDGET_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        return false;
    }

    private void retry(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        waitingForBudget = false;
        try {
            // decodes what is buffered, reserving again; reads resume once the frame has its reservation
            channelRead(ctx, ctx.alloc().buffer(0));
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
        if (!waitingForBudget) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (waitingForBudget) {
            // the base class would ask for another read when auto-read is off; the wait must not read on
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    private void releaseReserved() {
        if (reserved != 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReserved(); // the connection ended with a frame half received
    }

    /**
     * Decodes one frame from {@code in} if a whole one is there; returns null (consuming nothing) if not.
     *
     * @throws ProtocolException if the bytes are not a valid frame
     */
    public static Frame decode(ByteBuf in, int maxFrameSize) {
        if (in.readableBytes() < Protocol.LENGTH_FIELD_SIZE) {
            return null;
        }
        int start = in.readerIndex();
        int length = in.getInt(start);
        if (length < Protocol.HEADER_SIZE - Protocol.LENGTH_FIELD_SIZE) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "frame length " + length + " is below the "
                    + (Protocol.HEADER_SIZE - Protocol.LENGTH_FIELD_SIZE) + "-byte minimum");
        }
        if ((long) length + Protocol.LENGTH_FIELD_SIZE > maxFrameSize) {
            throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "frame of " + (length + 4L)
                    + " bytes exceeds the maximum frame size of " + maxFrameSize + " bytes");
        }
        if (in.readableBytes() < Protocol.LENGTH_FIELD_SIZE + length) {
            return null;
        }
        int typeCode = in.getUnsignedByte(start + 4);
        int channel = in.getInt(start + 5);
        FrameType type = FrameType.of(typeCode);
        if (type == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type " + typeCode);
        }
        checkScope(type, channel);
        // the body is read in place, the buffer's readable bytes bounded to it for the read: no slice per frame
        int end = start + Protocol.LENGTH_FIELD_SIZE + length;
        int limit = in.writerIndex();
        in.readerIndex(start + Protocol.HEADER_SIZE);
        in.writerIndex(end);
        Frame frame;
        int trailing;
        try {
            frame = type.read(channel, in);
            trailing = in.readableBytes();
        } catch (ProtocolException e) {
            throw e;
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame is truncated", e);
        } catch (RuntimeException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame is invalid: " + e.getMessage(), e);
        } finally {
            in.writerIndex(limit);
            in.readerIndex(end);
        }
        if (trailing != 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame has " + trailing
                    + " unexpected trailing bytes");
        }
        return frame;
    }

    private static void checkScope(FrameType type, int channel) {
        if (channel < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame on negative channel " + channel);
        }
        boolean control = channel == Protocol.CONTROL_CHANNEL;
        if (type.scope() == FrameType.Scope.CONTROL && !control) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame must travel on channel 0, not "
                    + channel);
        }
        if (type.scope() == FrameType.Scope.SESSION && control) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, type + " frame must travel on a session channel");
        }
    }
}
