package io.tunnelmq.jms.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.tunnelmq.protocol.net.NioEventLoops;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops every TunnelMQ connection of this JVM runs on. Created on first use and never shut down:
 * the threads are daemons, so a JMS program that returns from {@code main} exits even if it forgot to close
 * its connection, and an idle loop costs nothing but a parked thread.
 */
final class IoEventLoops {
    /** Thread names are {@code tunnelmq-io-N}, so they are easy to spot in a thread dump. */
    static final String THREAD_NAME_PREFIX = "tunnelmq-io-";

    private IoEventLoops() {
    }

    /** The shared group, created by the first caller. */
    static EventLoopGroup shared() {
        return Holder.GROUP;
    }

    /** Lazy holder: the JVM creates the group (and its threads) only when a connection is first made. */
    private static final class Holder {
        static final EventLoopGroup GROUP = NioEventLoops.group(
                Math.max(1, Runtime.getRuntime().availableProcessors()), new DaemonThreadFactory());
    }

    private static final class DaemonThreadFactory implements ThreadFactory {
        private final AtomicInteger counter = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            // FastThreadLocalThread lets Netty use its fast thread-locals on these threads
            Thread thread = new FastThreadLocalThread(task, THREAD_NAME_PREFIX + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
