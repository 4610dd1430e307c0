package io.tunnelmq.jms.faults;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP proxy on loopback that injects network faults between a client and a broker, for tests: point the client
 * at {@link #port()} and the proxy forwards to the broker, until the test cuts, resets, stalls or delays the traffic.
 *
 * <p>Every operation takes effect before it returns (a stall returns once nothing more is forwarded). Stall and
 * delay are states of the proxy: they apply to the connections it has and to those it accepts later, until
 * {@link #resume()} or another {@link #delay}. Cut and reset end the connections it has; new ones are still
 * accepted. Thread-safe: all state lives on the proxy's one event loop, a daemon thread that {@link #close()} ends.
 */
public final class FaultProxy implements AutoCloseable {
    private static final long OPERATION_TIMEOUT_SECONDS = 10;

    private final NioEventLoopGroup group;
    private final EventLoop loop;
    private final InetSocketAddress target;
    private final Channel server;
    private final List<ProxiedConnection> connections = new ArrayList<>();
    /** Accepted client channels whose connection to the broker is not established yet. */
    private final Set<Channel> pending = new HashSet<>();
    private final Set<Direction> stalled = EnumSet.noneOf(Direction.class);
    private long delayNanos;

    private FaultProxy(InetSocketAddress target) {
        this.target = target;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("fault-proxy", true));
        this.loop = group.next();
        ChannelFuture bound = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false) // nothing is read before the broker side is connected
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel client) {
                        connectOnwards(client);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0));
        try {
            this.server = bound.syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    /** The port clients connect to. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** A TunnelMQ URL that goes through the proxy ({@code tmq://127.0.0.1:port}). */
    public String url() {
        return "tmq://127.0.0.1:" + port();
    }

    /** Closes both sides of every connection (each peer sees an orderly close). */
    public void cut() {
        onLoop(this::cutAll);
    }

    /** Resets both sides of every connection (SO_LINGER 0: each peer sees "connection reset"). */
    public void reset() {
        onLoop(() -> {
            new ArrayList<>(pending).forEach(ch -> ch.config().setOption(ChannelOption.SO_LINGER, 0));
            new ArrayList<>(connections).forEach(ProxiedConnection::reset);
            cutAll();
        });
    }

    private void cutAll() {
        new ArrayList<>(pending).forEach(Channel::close);
        new ArrayList<>(connections).forEach(ProxiedConnection::cut);
    }

    /** Stops forwarding both ways without closing anything, as a network that silently drops every packet. */
    public void stall() {
        stall(Direction.values());
    }

    /** Stops forwarding these ways without closing anything. */
    public void stall(Direction... directions) {
        onLoop(() -> {
            for (Direction d : directions) {
                stalled.add(d);
                connections.forEach(c -> c.pipe(d).stall(true));
            }
        });
    }

    /** Forwards both ways again, first what was held back. */
    public void resume() {
        onLoop(() -> {
            stalled.clear();
            for (ProxiedConnection c : connections) {
                for (Direction d : Direction.values()) {
                    c.pipe(d).stall(false);
                }
            }
        });
    }

    /** Holds every chunk of bytes this long (both ways) before forwarding it, in order; zero for none. */
    public void delay(Duration latency) {
        long nanos = latency.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("a delay cannot be negative: " + latency);
        }
        onLoop(() -> {
            delayNanos = nanos;
            for (ProxiedConnection c : connections) {
                for (Direction d : Direction.values()) {
                    c.pipe(d).delay(nanos);
                }
            }
        });
    }

    /** Connections through the proxy that are open on both sides now. */
    public int connectionCount() {
        return onLoop(() -> (int) connections.stream().filter(ProxiedConnection::isLive).count());
    }

    /** Stops listening and closes every connection (an orderly close). */
    @Override
    public void close() {
        try {
            if (!loop.isShuttingDown()) {
                onLoop(() -> {
                    server.close();
                    cutAll();
                });
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + server.localAddress() + " -> " + target + "]";
    }

    private void connectOnwards(Channel client) {
        pending.add(client); // a cut before the broker side is connected closes it too
        client.closeFuture().addListener(closed -> pending.remove(client));
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target)
                .addListener((ChannelFuture done) -> {
                    pending.remove(client);
                    if (!done.isSuccess() || !client.isActive()) {
                        client.close(); // the broker is not there: the client sees its connection closed
                        done.channel().close();
                        return;
                    }
                    ProxiedConnection c = new ProxiedConnection(client, done.channel());
                    connections.add(c);
                    client.closeFuture().addListener(closed -> connections.remove(c));
                    done.channel().closeFuture().addListener(closed -> connections.remove(c));
                    for (Direction d : Direction.values()) {
                        c.pipe(d).delay(delayNanos);
                        c.pipe(d).stall(stalled.contains(d));
                    }
                    c.start();
                });
    }

    private void onLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    private <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the proxy ran an operation", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the proxy's operation failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the proxy's operation did not finish within "
                    + OPERATION_TIMEOUT_SECONDS + " s", e);
        }
    }
}
