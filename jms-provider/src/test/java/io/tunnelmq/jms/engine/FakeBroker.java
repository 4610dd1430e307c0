package io.tunnelmq.jms.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.client.ConnectionSettings;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.Welcome;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted broker peer for engine tests: a real TCP server on port 0 speaking the protocol codec. By
 * default it welcomes every Hello and answers every request with {@code Ok}; a test replaces the
 * {@link Script} to answer differently or not at all, and injects faults (frames of its own, raw bytes,
 * dropped connections). Every frame it receives is recorded for the test to inspect in order.
 */
final class FakeBroker implements AutoCloseable {
    static final long DEFAULT_WINDOW = 4L * 1024 * 1024;
    private static final long WAIT_SECONDS = 5;

    /** What the broker answers to one frame; an empty list means silence. Runs on the broker's thread. */
    @FunctionalInterface
    interface Script {
        List<Frame> answer(Frame in);
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
        Thread t = new Thread(r, "fake-broker");
        t.setDaemon(true);
        return t;
    }, NioIoHandler.newFactory());
    private final Channel server;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final AtomicInteger framesReceived = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile CountDownLatch clientGone = new CountDownLatch(1);
    private volatile Channel client;
    private volatile Script script = this::defaultAnswer;
    private volatile Welcome welcome = new Welcome(Protocol.VERSION, "conn-1", 0, DEFAULT_WINDOW,
            Protocol.DEFAULT_MAX_FRAME_SIZE, "fake-broker-1.0");
    private volatile long freeBytes = DEFAULT_WINDOW;
    private volatile int dropAfterFrames = -1;

    FakeBroker() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        client = ch;
                        clientGone = new CountDownLatch(1);
                        CountDownLatch gone = clientGone;
                        ch.closeFuture().addListener(f -> gone.countDown());
                        ch.pipeline().addLast(new FrameDecoder(Protocol.DEFAULT_MAX_FRAME_SIZE),
                                new FrameEncoder(Protocol.DEFAULT_MAX_FRAME_SIZE), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Options for this broker with short timeouts; {@code extra} is appended to the URL query. */
    /** The options of a connection to this broker, as the application gives them (a URL). */
    ConnectionOptions connectionOptions(String extra) {
        return ConnectionOptions.parse("tmq://127.0.0.1:" + port() + "?heartbeat=0&connectTimeout=3000"
                + "&requestTimeout=3000&sendTimeout=3000" + (extra.isEmpty() ? "" : "&" + extra));
    }

    /** The engine's options for a connection to this broker. */
    EngineOptions options(String extra) {
        return ConnectionSettings.forEngine(connectionOptions(extra));
    }

    // ---- scripting ----

    void script(Script newScript) {
        script = newScript;
    }

    void welcome(Welcome w) {
        welcome = w;
        freeBytes = w.receiveBufferBytes();
    }

    Welcome welcome() {
        return welcome;
    }

    /** The free bytes reported in default {@code Ok} answers. */
    void freeBytes(long free) {
        freeBytes = free;
    }

    /** Closes the connection once it has received this many frames (Hello counts). */
    void dropAfterFrames(int frames) {
        dropAfterFrames = frames;
    }

    /** Welcome for Hello, Ok (with {@link #freeBytes}) for every request, nothing for the rest. */
    List<Frame> defaultAnswer(Frame in) {
        if (in instanceof Hello) {
            return List.of(welcome);
        }
        long id = requestId(in);
        return id > 0 ? List.of(ok(in, id)) : List.of();
    }

    Ok ok(Frame request, long id) {
        return new Ok(request.channel(), id, freeBytes);
    }

    /** The request id of a request frame, or 0 for frames that are not requests. */
    static long requestId(Frame f) {
        if (f instanceof OpenSession x) {
            return x.requestId();
        } else if (f instanceof CloseSession x) {
            return x.requestId();
        } else if (f instanceof CreateConsumer x) {
            return x.requestId();
        } else if (f instanceof CloseConsumer x) {
            return x.requestId();
        } else if (f instanceof Send x) {
            return x.requestId();
        } else if (f instanceof Settle x) {
            return x.requestId();
        } else if (f instanceof Commit x) {
            return x.requestId();
        } else if (f instanceof Rollback x) {
            return x.requestId();
        } else if (f instanceof io.tunnelmq.protocol.frame.CommitQuery x) {
            return x.requestId();
        } else if (f instanceof Disconnect x) {
            return x.requestId();
        } else if (f instanceof io.tunnelmq.protocol.frame.Unsubscribe x) {
            return x.requestId();
        } else if (f instanceof io.tunnelmq.protocol.frame.Browse x) {
            return x.requestId();
        } else if (f instanceof io.tunnelmq.protocol.frame.CreateTemporary x) {
            return x.requestId();
        } else if (f instanceof io.tunnelmq.protocol.frame.DeleteTemporary x) {
            return x.requestId();
        }
        return 0;
    }

    // ---- faults and unsolicited frames ----

    void send(Frame... frames) {
        Channel ch = requireClient();
        for (Frame f : frames) {
            ch.write(f);
        }
        ch.flush();
    }

    void sendRaw(ByteBuf bytes) {
        requireClient().writeAndFlush(bytes);
    }

    /** Stops reading from the client (its writes back up into its socket) until {@link #resumeReading}. */
    void pauseReading() {
        requireClient().config().setAutoRead(false);
    }

    void resumeReading() {
        requireClient().config().setAutoRead(true);
    }

    void dropClient() {
        requireClient().close();
    }

    boolean awaitClientGone() throws InterruptedException {
        return clientGone.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    private Channel requireClient() {
        Channel ch = client;
        assertThat(ch).as("a client connected to the fake broker").isNotNull();
        return ch;
    }

    // ---- what was received ----

    /** The next frame received that is not a heartbeat, waiting up to a few seconds. */
    Frame next() throws InterruptedException {
        while (true) {
            Frame f = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(f).as("a frame received by the fake broker within " + WAIT_SECONDS + " s").isNotNull();
            if (!(f instanceof Heartbeat)) {
                return f;
            }
        }
    }

    /** The next non-heartbeat frame, which must be of this type. */
    <T extends Frame> T next(Class<T> type) throws InterruptedException {
        Frame f = next();
        assertThat(f).isInstanceOf(type);
        return type.cast(f);
    }

    /** The next frame of this type, skipping others (heartbeats included unless asked for). */
    <T extends Frame> T await(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Frame f = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(f).as("a " + type.getSimpleName() + " received by the fake broker").isNotNull();
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        Channel ch = client;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            received.add(frame);
            int count = framesReceived.incrementAndGet();
            if (dropAfterFrames > 0 && count >= dropAfterFrames) {
                ctx.close();
                return;
            }
            List<Frame> answers = script.answer(frame);
            for (Frame answer : answers) {
                ctx.write(answer);
            }
            ctx.flush();
            if (frame instanceof Disconnect && !answers.isEmpty()) {
                ctx.close(); // like the broker: answer Disconnect, then close
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
