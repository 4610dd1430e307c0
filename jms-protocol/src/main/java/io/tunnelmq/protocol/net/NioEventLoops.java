package io.tunnelmq.protocol.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.util.concurrent.ThreadFactory;

/**
 * The one place the client and the broker create their NIO event loops.
 *
 * <p>TunnelMQ runs on whatever Netty 4 the application pins: Spring Boot 2.7 and 3.x pin 4.1, Boot 4 pins 4.2. So the
 * code uses only the API both lines offer. Netty 4.2's {@code MultiThreadIoEventLoopGroup} is missing from 4.1, and
 * {@link NioEventLoopGroup}, deprecated in 4.2, is there a {@code MultiThreadIoEventLoopGroup} with the NIO handler,
 * so it costs nothing on 4.2 and works on 4.1. {@code Netty41LinkageTest} (module {@code netty-compat}) fails the build
 * when a class, method or field that 4.1 lacks creeps in.
 */
public final class NioEventLoops {
    private NioEventLoops() {
    }

    /**
     * A group of NIO event loops.
     *
     * @param threads how many loops; 0 lets Netty choose (twice the processors)
     * @param threadFactory the factory of their threads (names, daemon flag)
     */
    @SuppressWarnings("deprecation") // the 4.1 name; see the class comment
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new NioEventLoopGroup(threads, threadFactory);
    }
}
