package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Send;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes frames as {@code length | type | channel | body}. A frame over the maximum size fails its write
 * with a {@link ProtocolException} ({@link ErrorCode#FRAME_TOO_LARGE}, wrapped in an {@link EncoderException}) and
 * nothing reaches the socket.
 *
 * <p>Frames written between two flushes are encoded one after another into one buffer of at least {@value #CHUNK}
 * bytes (a frame that does not fit the rest of it starts the next one), and a buffer goes on towards the socket when
 * it is full, at a flush, or before anything written that is not a frame. So a burst of frames costs one buffer, one
 * entry in the channel's outbound buffer and one slot in the socket's gathering write per {@value #CHUNK} bytes, not
 * per frame. A frame's promise completes when its buffer's write does; a frame that cannot be encoded fails its
 * promise at once. One per channel: it holds that channel's open buffer.
 *
 * <p>A {@link Heartbeat} written with nothing open goes out as a shared, read-only copy of its nine bytes: an idle
 * connection beats every interval, and a buffer of {@value #CHUNK} bytes from the pool for each of its beats was the
 * largest part of what one cost the client that wrote it.
 */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Bytes an open buffer starts with: about a dozen 1 KiB messages, or hundreds of small frames. */
    static final int CHUNK = 16 * 1024;
    /** Netty's own default, ample for every frame without a message. */
    private static final int DEFAULT_CAPACITY = 256;
    /** A heartbeat as it goes on the wire; never released, each write takes a duplicate. */
    private static final ByteBuf HEARTBEAT = heartbeatBytes();

    private final int maxFrameSize;
    /** This encoder's place in its pipeline while it is in one. */
    private ChannelHandlerContext context;
    /** Frames encoded since the buffer last went on; null when none. */
    private ByteBuf open;
    /** The promises (not void ones) of the frames in {@link #open}; null when none. */
    private List<ChannelPromise> promises;

    public FrameEncoder(int maxFrameSize) {
        if (maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("max frame size must be >= " + Protocol.HEADER_SIZE);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** The encoder in {@code pipeline}, or null if it has none. */
    public static FrameEncoder in(ChannelPipeline pipeline) {
        return pipeline.get(FrameEncoder.class);
    }

    /** Whether this encoder is still in its pipeline (a replaced one is not). */
    public boolean isAdded() {
        return context != null;
    }

    /**
     * Encodes a frame into the open buffer as a write through the pipeline would, for a writer on the channel's event
     * loop whose frames need no handler between the pipeline's tail and this encoder and no promise: no walk down the
     * pipeline, no promise. The frame goes out at the next flush, or with the buffer when it fills.
     *
     * @throws EncoderException if the frame cannot be encoded, the channel is closed, or this encoder was removed; then
     *                          nothing of the frame is written
     */
    public void writeNow(Frame frame) {
        ChannelHandlerContext ctx = context;
        if (ctx == null || !ctx.channel().isActive()) {
            throw new EncoderException(new ClosedChannelException());
        }
        assert ctx.executor().inEventLoop() : "frames are encoded on the channel's event loop";
        EncoderException failed = encodeInto(ctx, frame);
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Writes a heartbeat and flushes, from this encoder down ({@code DirectFrameWriter.heartbeat}); on the event loop.
     */
    void beat() {
        ChannelHandlerContext ctx = context;
        write(ctx, Heartbeat.INSTANCE, ctx.voidPromise());
        flush(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame frame)) {
            handOn(ctx);
            ctx.write(msg, promise);
            return;
        }
        if (frame instanceof Heartbeat && open == null) {
            ctx.write(HEARTBEAT.duplicate(), promise);
            return;
        }
        EncoderException failed = encodeInto(ctx, frame);
        if (failed != null) {
            promise.tryFailure(failed);
            return;
        }
        if (!promise.isVoid()) {
            if (promises == null) {
                promises = new ArrayList<>();
            }
            promises.add(promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        handOn(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        handOn(ctx); // written before the close, so failed by it as any unflushed write is
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        context = null;
        handOn(ctx); // replaced (a lower frame limit) or removed: what it holds still goes out, in order
    }

    private static ByteBuf heartbeatBytes() {
        ByteBuf bytes = Unpooled.directBuffer(Protocol.HEADER_SIZE);
        encode(Heartbeat.INSTANCE, bytes, Protocol.HEADER_SIZE);
        return Unpooled.unreleasableBuffer(bytes.asReadOnly());
    }

    /** Encodes a frame at the end of the open buffer (started if needed); the failure, or null. */
    private EncoderException encodeInto(ChannelHandlerContext ctx, Frame frame) {
        int room = capacityFor(frame);
        if (open != null && open.writableBytes() < room) {
            handOn(ctx);
        }
        if (open == null) {
            open = ctx.alloc().ioBuffer(Math.max(CHUNK, room));
        }
        int start = open.writerIndex();
        try {
            encode(frame, open, maxFrameSize);
            return null;
        } catch (RuntimeException e) {
            open.writerIndex(start); // the frames before it stay whole
            return new EncoderException(e);
        }
    }

    /** Passes the open buffer on, its frames' promises completed by its write. */
    private void handOn(ChannelHandlerContext ctx) {
        ByteBuf buf = open;
        if (buf == null) {
            return;
        }
        open = null;
        List<ChannelPromise> waiting = promises;
        promises = null;
        if (!buf.isReadable()) {
            buf.release(); // its only frame could not be encoded, and has failed its promise
        } else if (waiting == null) {
            ctx.write(buf, ctx.voidPromise());
        } else if (waiting.size() == 1) {
            ctx.write(buf, waiting.get(0));
        } else {
            ctx.write(buf).addListener((ChannelFuture done) -> {
                Throwable cause = done.cause();
                for (ChannelPromise p : waiting) {
                    if (cause == null) {
                        p.trySuccess();
                    } else {
                        p.tryFailure(cause);
                    }
                }
            });
        }
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
