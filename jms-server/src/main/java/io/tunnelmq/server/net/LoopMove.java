package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Moves an open connection's channel to another event loop: deregistered from its loop, registered on the other,
 * which then reads and writes it. Only what lives on the old loop needs care, and a move that cannot give it that care
 * does not start:
 * <ul>
 * <li>the heartbeat clock ({@link WireWatch}) is paused and restarted on the new loop;</li>
 * <li>the flush consolidation, which may hold a flush scheduled on the old loop, is replaced by a fresh one (the old
 * one flushes as it goes);</li>
 * <li>bytes the socket has not taken yet would wait for a write-ready event the old loop was watching for: a channel
 * with any does not move (nor does a TLS one, whose engine may run tasks on the old loop);</li>
 * <li>tasks other threads hand the connection wait in {@link ConnectionTasks}, which runs none while it moves.</li>
 * </ul>
 * Starts on the channel's loop; {@code moved} runs once the channel is registered again (on the new loop), or on
 * whichever loop owns it when the move failed.
 */
final class LoopMove {
    private static final Logger log = LoggerFactory.getLogger(LoopMove.class);

    private final Channel channel;
    private final String connectionId;

    LoopMove(Channel channel, String connectionId) {
        this.channel = channel;
        this.connectionId = connectionId;
    }

    /** A move for {@code channel}, or null if it can never move (TLS). */
    static LoopMove of(Channel channel, String connectionId) {
        return channel.pipeline().get(SslHandler.class) == null ? new LoopMove(channel, connectionId) : null;
    }

    /**
     * Starts moving the channel to {@code to}, on its current loop.
     *
     * @return false if it does not move (not active, already there, or bytes waiting for the socket)
     */
    boolean start(EventLoop to, Runnable moved) {
        ChannelPipeline pipeline = channel.pipeline();
        if (!channel.isActive() || !channel.isRegistered() || channel.eventLoop() == to) {
            return false;
        }
        freshFlushConsolidation(pipeline);
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent == null || unsent.totalPendingWriteBytes() > 0) {
            return false;
        }
        WireWatch watch = WireWatch.of(pipeline);
        if (watch != null) {
            watch.pause();
        }
        channel.deregister().addListener(left -> {
            if (!left.isSuccess()) {
                log.debug("connection {}: stays on its event loop: {}", connectionId, left.cause().toString());
                arrived(watch, moved);
                return;
            }
            to.register(channel).addListener(registered -> {
                if (!registered.isSuccess()) { // Netty closes a channel it could not register
                    log.debug("connection {}: lost in a move between event loops: {}", connectionId,
                            registered.cause().toString());
                }
                arrived(watch, moved);
            });
        });
        return true;
    }

    /**
     * Replaces the flush consolidation, which may have a flush scheduled on this loop, by a fresh one. Removed, it
     * flushes what it held back (past itself: a replacement in its place would only hold it back again).
     */
    private static void freshFlushConsolidation(ChannelPipeline pipeline) {
        List<String> names = pipeline.names();
        int at = names.indexOf(ConnectionInitializer.FLUSH);
        if (at < 0) {
            return;
        }
        pipeline.remove(ConnectionInitializer.FLUSH);
        String next = at + 1 < names.size() ? names.get(at + 1) : null;
        if (next != null && pipeline.get(next) != null) {
            pipeline.addBefore(next, ConnectionInitializer.FLUSH, ConnectionInitializer.flushConsolidation());
        } else {
            pipeline.addLast(ConnectionInitializer.FLUSH, ConnectionInitializer.flushConsolidation());
        }
    }

    private void arrived(WireWatch watch, Runnable moved) {
        if (channel.isActive()) {
            if (watch != null) {
                watch.resume();
            }
            channel.flush(); // bytes written while it moved
        }
        moved.run();
    }
}
