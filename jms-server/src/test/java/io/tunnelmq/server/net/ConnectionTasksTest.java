package io.tunnelmq.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelmq.protocol.net.NioEventLoops;
import io.tunnelmq.server.BrokerFixture;
import io.tunnelmq.server.session.BrokerCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections on real NIO event loops that move between them while other threads hand them work. */
@Timeout(30)
class ConnectionTasksTest {
    private static final int FROM_OTHER_THREAD = 1_000_000;

    /** What the broker's side of a connection saw: on which thread it read, and when a heartbeat was due. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final BlockingQueue<Thread> readers = new LinkedBlockingQueue<>();
        final BlockingQueue<Thread> heartbeatsDue = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            readers.add(Thread.currentThread());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == IdleStateEvent.WRITER_IDLE_STATE_EVENT) {
                heartbeatsDue.add(Thread.currentThread());
            }
        }
    }

    private final EventLoopGroup loops = NioEventLoops.group(2, new DefaultThreadFactory("test-io", true));
    private final EventLoopGroup acceptor = NioEventLoops.group(1, new DefaultThreadFactory("test-accept", true));
    private final BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final BrokerCounters counters = new BrokerCounters();
    private Channel server;

    @BeforeEach
    void listen() throws InterruptedException {
        server = new ServerBootstrap().group(acceptor, loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(WireWatch.NAME, new WireWatch())
                                .addLast(ConnectionInitializer.FLUSH, ConnectionInitializer.flushConsolidation())
                                .addLast(new Recorder());
                        accepted.add(channel);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close().awaitUninterruptibly();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private SocketChannel connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(server.localAddress());
        sockets.add(socket);
        return accepted.poll(10, TimeUnit.SECONDS);
    }

    /** A task that checks it runs alone on the channel's loop, then writes {@code n} to the channel. */
    private Runnable writes(Channel channel, int n) {
        return () -> {
            if (running.incrementAndGet() != 1) {
                faults.add("task " + n + " ran beside another");
            }
            if (!channel.eventLoop().inEventLoop()) {
                faults.add("task " + n + " ran on " + Thread.currentThread().getName() + ", not the channel's loop");
            }
            channel.writeAndFlush(channel.alloc().buffer(4).writeInt(n), channel.voidPromise());
            running.decrementAndGet();
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        BrokerFixture.eventually(what, Duration.ofSeconds(20), condition);
    }

    @Test
    void aConnectionHandedWorkByOneLoopJoinsItThenLeavesWhenBusyAndEveryTaskRunsOnceInOrderOnItsLoop()
            throws Exception {
        SocketChannel a = connect();
        SocketChannel b = connect();
        BrokerLoops numbered = BrokerLoops.of(loops);
        assertThat(a.eventLoop()).as("Netty spreads connections over the loops").isNotSameAs(b.eventLoop());
        boolean aLower = numbered.indexOf(a.eventLoop()) < numbered.indexOf(b.eventLoop());
        SocketChannel sender = aLower ? a : b;
        SocketChannel mover = aLower ? b : a;
        Socket moverPeer = sockets.get(aLower ? 1 : 0);
        EventLoop senderLoop = sender.eventLoop();
        EventLoop moverLoop = mover.eventLoop();
        Recorder recorder = mover.pipeline().get(Recorder.class);
        ConnectionTasks tasks = new ConnectionTasks(mover, "mover", numbered, counters);
        moverLoop.submit(() -> {
            tasks.movable(LoopMove.of(mover, "mover"));
            WireWatch.of(mover.pipeline()).heartbeats(1_000);
        }).sync();

        // a conversation: the sender's loop hands the mover a task every 2 ms, another thread now and then
        AtomicInteger fromLoop = new AtomicInteger();
        ScheduledFuture<?> conversation = senderLoop.scheduleAtFixedRate(
                () -> tasks.execute(writes(mover, fromLoop.getAndIncrement())), 0, 2, TimeUnit.MILLISECONDS);
        AtomicInteger fromThread = new AtomicInteger();
        ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor(); // a thread that is no loop
        other.scheduleAtFixedRate(() -> tasks.execute(writes(mover, FROM_OTHER_THREAD + fromThread.getAndIncrement())),
                0, 3, TimeUnit.MILLISECONDS);
        await(() -> mover.eventLoop() == senderLoop, "the mover joins the sender's loop");
        int joinedAt = fromLoop.get();
        await(() -> fromLoop.get() > joinedAt + 50, "more tasks after the move");
        conversation.cancel(false);
        other.shutdown();
        assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        moverPeer.getOutputStream().write(1);
        assertThat(recorder.readers.poll(10, TimeUnit.SECONDS)).as("it reads on its new loop")
                .isSameAs(threadOf(senderLoop));
        recorder.heartbeatsDue.clear();
        assertThat(recorder.heartbeatsDue.poll(10, TimeUnit.SECONDS)).as("the heartbeat clock moved along")
                .isSameAs(threadOf(senderLoop));

        // the pair grows busy: ~100,000 tasks a second from its (new) own loop, and it goes back to its old one
        AtomicInteger handed = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> busy = senderLoop.scheduleAtFixedRate(() -> {
            for (int i = 0; i < 100 && handed.get() - ran.get() < 10_000; i++) { // no further ahead than that
                handed.incrementAndGet();
                tasks.execute(ran::incrementAndGet);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        await(() -> mover.eventLoop() == moverLoop, "the mover leaves for its old loop");
        assertThat(counters.connectionMoves()).isEqualTo(2);
        busy.cancel(false);
        await(() -> busy.isDone() && ran.get() == handed.get(), "every task handed over ran");

        int lastFromLoop = fromLoop.get();
        int lastFromThread = fromThread.get();
        DataInputStream in = new DataInputStream(moverPeer.getInputStream());
        int nextFromLoop = 0;
        int nextFromThread = FROM_OTHER_THREAD;
        while (nextFromLoop < lastFromLoop || nextFromThread < FROM_OTHER_THREAD + lastFromThread) {
            int n = in.readInt();
            if (n >= FROM_OTHER_THREAD) {
                assertThat(n).as("from the other thread, in order").isEqualTo(nextFromThread++);
            } else {
                assertThat(n).as("from the sender's loop, in order").isEqualTo(nextFromLoop++);
            }
        }
        assertThat(faults).isEmpty();
    }

    private static Thread threadOf(EventLoop loop) throws Exception {
        return loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    }

    @Test
    void tasksHandedOverWhileAConnectionClosesInTheMiddleOfAMoveStillRun() throws Exception {
        SocketChannel a = connect();
        SocketChannel b = connect();
        BrokerLoops numbered = BrokerLoops.of(loops);
        boolean aLower = numbered.indexOf(a.eventLoop()) < numbered.indexOf(b.eventLoop());
        SocketChannel sender = aLower ? a : b;
        SocketChannel mover = aLower ? b : a;
        mover.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelUnregistered(ChannelHandlerContext ctx) {
                ctx.channel().close(); // the peer went away while the channel was between loops
                ctx.fireChannelUnregistered();
            }
        });
        ConnectionTasks tasks = new ConnectionTasks(mover, "mover", numbered, counters);
        mover.eventLoop().submit(() -> tasks.movable(LoopMove.of(mover, "mover"))).sync();

        AtomicInteger handed = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger afterClose = new AtomicInteger();
        ScheduledFuture<?> conversation = sender.eventLoop().scheduleAtFixedRate(() -> {
            if (!mover.isOpen() && afterClose.incrementAndGet() > 20) {
                return;
            }
            handed.incrementAndGet();
            tasks.execute(ran::incrementAndGet);
        }, 0, 2, TimeUnit.MILLISECONDS);
        await(() -> afterClose.get() > 20, "the connection closed while it moved, and more tasks were handed over");
        conversation.cancel(false);
        await(() -> conversation.isDone() && ran.get() == handed.get(), "every task handed over ran");
        assertThat(counters.connectionMoves()).isEqualTo(1);
    }

    @Test
    void aTlsConnectionNeverMoves() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new SslHandler(SSLContext.getDefault().createSSLEngine()));
        assertThat(LoopMove.of(channel, "tls")).isNull();
        assertThat(LoopMove.of(new EmbeddedChannel(), "plain")).isNotNull();
    }
}
