package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.server.session.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;

/** A {@link FrameSink} over a Netty channel; flushes are coalesced by the pipeline's flush consolidation. */
final class ChannelFrameSink implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(ChannelFrameSink.class);

    private final Channel channel;
    private final String connectionId;
    private final ChannelFutureListener logFailure;

    ChannelFrameSink(Channel channel, String connectionId) {
        this.channel = channel;
        this.connectionId = connectionId;
        this.logFailure = future -> {
            if (!future.isSuccess() && future.channel().isActive()) {
                log.warn("connection {}: a frame could not be sent: {}", connectionId, future.cause().toString());
            }
        };
    }

    @Override
    public void send(Frame frame) {
        channel.writeAndFlush(frame).addListener(logFailure);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("connection {}: event loop has shut down; task dropped", connectionId);
        }
    }
}
