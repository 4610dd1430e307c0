package io.tunnelmq.server.admin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.AdminReply;
import io.tunnelmq.protocol.frame.AdminRequest;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.net.NioEventLoops;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a broker that does nothing but admin requests, one at a time: it logs in (Hello, Welcome), sends an
 * {@link AdminRequest} and waits for its answer. Not thread-safe; close it when done.
 */
final class AdminClient implements AutoCloseable {
    /** How long connecting and logging in may take. */
    static final long CONNECT_MILLIS = 15_000;

    private final EventLoopGroup loop;
    private final Channel channel;
    /** What the broker sent (frames, or the failure that ended the connection), for the waiting thread. */
    private final BlockingQueue<Object> received;
    private long nextRequestId = 1;

    private AdminClient(EventLoopGroup loop, Channel channel, BlockingQueue<Object> received) {
        this.loop = loop;
        this.channel = channel;
        this.received = received;
    }

    /**
     * Connects and logs in.
     *
     * @param password sent in the Hello only (over TLS with {@code tmqs://}); never printed
     * @throws AdminException saying why the broker cannot be reached or refused the login
     */
    static AdminClient connect(AdminUrl url, String user, String password) {
        SslContext tls = url.tls() ? ClientTls.context(url) : null;
        EventLoopGroup loop = NioEventLoops.group(1, new DefaultThreadFactory("tmq-admin-client", true));
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        FrameDecoder decoder = new FrameDecoder(Protocol.DEFAULT_MAX_FRAME_SIZE);
        ChannelFuture connect = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", ClientTls.handler(tls, url, ch.alloc()));
                        }
                        ch.pipeline().addLast("decoder", decoder)
                                .addLast("encoder", new FrameEncoder(Protocol.DEFAULT_MAX_FRAME_SIZE))
                                .addLast("frames", new Inbox(received));
                    }
                })
                .connect(url.host(), url.port());
        if (!connect.awaitUninterruptibly(CONNECT_MILLIS + 1_000) || !connect.isSuccess()) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = connect.cause();
            throw new AdminException("cannot connect to " + url + ": " + (cause == null ? "timed out"
                    : cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        }
        AdminClient client = new AdminClient(loop, connect.channel(), received);
        try {
            client.login(url, user, password);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    private void login(AdminUrl url, String user, String password) {
        channel.writeAndFlush(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
        Object answer = next(CONNECT_MILLIS, "logging in to " + url);
        if (answer instanceof Welcome welcome) {
            FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
            decoder.maxFrameSize(welcome.maxFrameSize());
            return;
        }
        if (answer instanceof ErrorFrame error) {
            throw new AdminException("the broker at " + url + " refused the login: " + error.message());
        }
        throw new AdminException("the broker at " + url + " answered the login with " + describe(answer));
    }

    /**
     * Runs one request.
     *
     * @throws AdminException with the broker's refusal, or if no answer came in time
     */
    AdminReply request(io.tunnelmq.protocol.frame.AdminOperation operation, Map<String, String> arguments,
                       long timeoutMillis) {
        long id = nextRequestId++;
        channel.writeAndFlush(new AdminRequest(id, operation, arguments));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Object answer = next(Math.max(1, left), operation.word());
            if (answer instanceof AdminReply reply && reply.requestId() == id) {
                return reply;
            }
            if (answer instanceof ErrorFrame error && (error.requestId() == id || error.requestId() == 0)) {
                throw new AdminException(error.message());
            }
            // anything else (a heartbeat, a stale answer) is not ours
        }
    }

    /** The next frame; a lost connection or silence past the timeout is an {@link AdminException}. */
    private Object next(long timeoutMillis, String doing) {
        try {
            Object next = received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new AdminException("no answer from the broker within " + timeoutMillis + " ms while " + doing);
            }
            if (next instanceof Throwable failure) {
                throw new AdminException("the connection to the broker failed while " + doing + ": "
                        + (failure.getMessage() != null ? failure.getMessage() : failure.toString()));
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while " + doing);
        }
    }

    private static String describe(Object frame) {
        return frame instanceof Frame f ? f.type() + " frame" : String.valueOf(frame);
    }

    /** Says goodbye and closes the connection. */
    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new Disconnect(nextRequestId++)).awaitUninterruptibly(1_000);
        }
        channel.close().awaitUninterruptibly(1_000);
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
    }

    /** Hands every frame (and the end of the connection) to the waiting thread. */
    private static final class Inbox extends SimpleChannelInboundHandler<Frame> {
        private final BlockingQueue<Object> received;

        Inbox(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (!(frame instanceof Heartbeat)) {
                received.add(frame);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            received.add(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.add(new IOException("the broker closed the connection"));
        }
    }
}
