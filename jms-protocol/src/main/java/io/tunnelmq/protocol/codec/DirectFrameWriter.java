package io.tunnelmq.protocol.codec;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;

import java.nio.channels.ClosedChannelException;

/**
 * Writes one channel's frames straight into its {@link FrameEncoder} ({@link FrameEncoder#writeNow}) when called on the
 * channel's event loop: no walk down the pipeline and no promise per frame. Off the loop, or while frames are traced
 * (the trace handler sits above the encoder and must see them), frames go down the pipeline as before. Flushes always
 * go through the pipeline, so its flush consolidation still merges them. Finds the encoder again once it is replaced.
 */
public final class DirectFrameWriter {
    private final Channel channel;
    private final Class<? extends ChannelHandler> trace;
    /** The encoder while it is in the pipeline; null: look again. Touched on the event loop only. */
    private FrameEncoder encoder;

    /** @param trace the class of the frame trace handler, whose presence sends frames down the pipeline */
    public DirectFrameWriter(Channel channel, Class<? extends ChannelHandler> trace) {
        this.channel = channel;
        this.trace = trace;
    }

    /**
     * Encodes a frame straight into the encoder if it can; the caller flushes.
     *
     * @return false if the frame must go down the pipeline instead (off the event loop, traced, no encoder)
     * @throws EncoderException as {@link FrameEncoder#writeNow}: nothing of the frame was written
     */
    public boolean tryWriteNow(Frame frame) {
        FrameEncoder e = direct();
        if (e == null) {
            return false;
        }
        e.writeNow(frame);
        return true;
    }

    /**
     * Writes and flushes a frame that needs no promise. A failure goes down the pipeline as an exception, as a failed
     * write with the channel's void promise does (a closed channel's as its {@link ClosedChannelException}).
     */
    public void writeAndFlushVoid(Frame frame) {
        try {
            if (!tryWriteNow(frame)) {
                channel.writeAndFlush(frame, channel.voidPromise());
                return;
            }
        } catch (EncoderException e) {
            channel.pipeline().fireExceptionCaught(e.getCause() instanceof ClosedChannelException c ? c : e);
            return;
        }
        channel.flush();
    }

    /**
     * Writes and flushes a heartbeat from the channel's encoder down ({@link FrameEncoder#beat}), for a side that found
     * its connection quiet: nothing above the encoder sees it, so no flush consolidation turns its flush into a task of
     * its own (an idle connection's beat cost a task on the event loop), and the encoder's frames go with it. Off the
     * event loop, traced or without an encoder, it goes down the whole pipeline. A failure goes down the pipeline as an
     * exception, as with the channel's void promise.
     *
     * @param trace the class of the frame trace handler, whose presence sends the heartbeat down the pipeline
     */
    public static void heartbeat(Channel channel, Class<? extends ChannelHandler> trace) {
        FrameEncoder e = channel.eventLoop().inEventLoop() ? untracedEncoder(channel, trace) : null;
        if (e == null || !e.isAdded()) {
            channel.writeAndFlush(Heartbeat.INSTANCE, channel.voidPromise());
        } else {
            e.beat();
        }
    }

    private FrameEncoder direct() {
        if (!channel.eventLoop().inEventLoop()) {
            return null;
        }
        FrameEncoder e = encoder;
        if (e == null || !e.isAdded()) {
            e = encoder = untracedEncoder(channel, trace);
        }
        return e;
    }

    /** The channel's encoder, or null if it has none or frames are traced (the trace handler must see them). */
    private static FrameEncoder untracedEncoder(Channel channel, Class<? extends ChannelHandler> trace) {
        return channel.pipeline().get(trace) != null ? null : FrameEncoder.in(channel.pipeline());
    }
}
