package io.tunnelmq.jms.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.tunnelmq.jms.transport.ClientTls;
import io.tunnelmq.jms.transport.TunnelTransport;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Welcome;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The opening of one tunnel, from the TCP connect to the broker's Welcome: the pipeline it sets up, the connect
 * timeout that covers TCP, TLS and the handshake alike, the future the caller of {@code connect} waits on, and the
 * wording of a connect that fails ("cannot connect to TunnelMQ broker at tmq://host:port: ..."). It ends once:
 * Welcome opens the connection, anything else fails the connect.
 *
 * <p>Separate from {@link TunnelClientConnection} because none of it matters once the connection is open: the
 * connection keeps its state (it is connecting until this attempt ends) and what it does when the connect fails,
 * this class how an attempt is made and timed. Confined to the connection's event loop.
 */
final class ConnectAttempt {
    private static final String HANDSHAKE_HANDLER = "tunnelmq-handshake";
    private static final String ENGINE_HANDLER = "tunnelmq-engine";

    private final TunnelClientConnection connection;
    private final EngineOptions options;
    private final EventLoop loop;
    private final CompletableFuture<EngineConnection> opened = new CompletableFuture<>();
    private ScheduledFuture<?> timer;
    private Channel channel;

    ConnectAttempt(TunnelClientConnection connection, EngineOptions options, EventLoop loop) {
        this.connection = connection;
        this.options = options;
        this.loop = loop;
    }

    /** Connects to the resolved broker address and performs the handshake within the connect timeout. */
    CompletableFuture<EngineConnection> start(InetSocketAddress resolved, ClientTls tls) {
        loop.execute(() -> {
            timer = loop.schedule(this::timedOut, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            ChannelFuture connecting = TunnelTransport.connect(options.transport(), loop, resolved, tls,
                    pipeline -> pipeline
                            .addLast(HANDSHAKE_HANDLER, new HandshakeHandler(this, HandshakeHandler.hello(options)))
                            .addLast(ENGINE_HANDLER, new ConnectionHandler(connection)));
            channel = connecting.channel();
            connection.attach(channel);
            connecting.addListener(done -> {
                if (!done.isSuccess()) {
                    connection.failConnect(cannotConnect(ConnectionHandler.describe(done.cause()),
                            ErrorCode.CONNECTION_FAILED, done.cause()));
                }
            });
        });
        return opened;
    }

    /** The broker's Welcome: the connection opens, unless the attempt ended meanwhile. */
    void welcomed(Welcome w) {
        if (!connection.isConnecting()) {
            return;
        }
        timer.cancel(false);
        connection.open(w);
        opened.complete(connection);
    }

    /** The broker refused the handshake, or answered it with something other than a usable Welcome. */
    void handshakeFailed(EngineException cause) {
        connection.failConnect(cause);
    }

    /** The connection failed to connect (for any reason): the timeout stops and the caller learns why. */
    void failed(EngineException cause) {
        if (timer != null) {
            timer.cancel(false);
        }
        opened.completeExceptionally(cause);
    }

    private void timedOut() {
        if (!connection.isConnecting()) {
            return;
        }
        boolean tcpUp = channel != null && channel.isActive();
        connection.failConnect(tcpUp
                ? cannotConnect("no answer to the handshake within " + options.connectTimeoutMillis() + " ms",
                        ErrorCode.TIMEOUT, null)
                : cannotConnect("connection timed out after " + options.connectTimeoutMillis() + " ms",
                        ErrorCode.CONNECTION_FAILED, null));
    }

    EngineException cannotConnect(String reason, ErrorCode code, Throwable cause) {
        return new EngineException(code, "cannot connect to TunnelMQ broker at " + options.url() + ": " + reason,
                cause);
    }

    /** The broker's URL ({@code tmq://host:port} or {@code tmqs://host:port}), for messages. */
    String brokerUrl() {
        return options.url();
    }
}
