package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.tunnelmq.protocol.codec.DirectFrameWriter;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.server.session.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link FrameSink} over a Netty channel; flushes are coalesced by the pipeline's flush consolidation. A frame sent on
 * the channel's event loop goes straight into the encoder's open buffer ({@link DirectFrameWriter}: no walk down the
 * pipeline) unless frames are traced; others go down the pipeline with the channel's void promise.
 * No promise and no listener per frame either way (the broker writes one or more per message).
 * A frame that cannot be written goes down the pipeline as an exception, where the connection's handler closes the
 * connection (quietly when the channel is already gone, with INTERNAL_ERROR when a frame could not be encoded).
 * Tasks go through the connection's {@link ConnectionTasks}, which keeps them in order when the connection moves
 * between event loops.
 */
final class ChannelFrameSink implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(ChannelFrameSink.class);

    private final Channel channel;
    private final Executor tasks;
    private final String connectionId;
    private final DirectFrameWriter frames;

    /** @param tasks runs tasks on the connection's event loop, in order */
    ChannelFrameSink(Channel channel, Executor tasks, String connectionId) {
        this.channel = channel;
        this.tasks = tasks;
        this.connectionId = connectionId;
        this.frames = new DirectFrameWriter(channel, FrameTraceHandler.class);
    }

    @Override
    public void send(Frame frame) {
        frames.writeAndFlushVoid(frame);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void execute(Runnable task) {
        try {
            tasks.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("connection {}: event loop has shut down; task dropped", connectionId);
        }
    }
}
