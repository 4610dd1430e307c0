package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.transport.ClientTls;
import io.tunnelmq.jms.transport.TunnelTransport;
import io.tunnelmq.protocol.ErrorCode;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The real engine: one Netty TCP channel per connection, on the shared daemon event loops. */
final class NettyEngineFactory implements EngineFactory {
    static final NettyEngineFactory INSTANCE = new NettyEngineFactory();

    private NettyEngineFactory() {
    }

    @Override
    public CompletableFuture<EngineConnection> connect(EngineOptions options, ConnectionEvents events) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(events, "events");
        // resolved here, on the caller's thread: a slow name lookup must never stall an event loop
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.CONNECTION_FAILED,
                    "cannot connect to TunnelMQ broker at " + options.url() + ": unknown host '"
                            + options.host() + "'; check the host name in the connection URL"));
        }
        ClientTls tls = null;
        if (options.tls() != null) {
            try {
                tls = ClientTls.prepare(options.tls()); // reads files: here, never on an event loop
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new EngineException(ErrorCode.CONNECTION_FAILED,
                        "cannot connect to TunnelMQ broker at " + options.url() + ": " + e.getMessage(), e));
            }
        }
        return new TunnelClientConnection(options, events, TunnelTransport.nextEventLoop()).connect(address, tls);
    }
}
