package io.tunnelmq.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.tunnelmq.protocol.Throttle;
import io.tunnelmq.server.security.ConnectionLimits;
import io.tunnelmq.server.security.PeerSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;

/**
 * Admits a connection to the HTTP port within its {@link ConnectionLimits} and builds its pipeline. The port shares
 * the broker's process, so its file descriptors: without a limit, a client opening connections by the ten thousand
 * would leave none for the tunnel's clients. One past a limit is answered {@code 503} saying which, and closed; refusals
 * are logged at most once a minute. A request must arrive whole within a deadline ({@link HttpRequestDeadline}), so a
 * connection cannot be held by dribbling a header.
 */
final class HttpChannels extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(HttpChannels.class);
    /** The most connections the port holds: scrapers and a few consoles need a handful. */
    static final int MAX_CONNECTIONS = 256;
    /** The most connections from one address (an IPv6 /64): a browser opens six. */
    static final int MAX_CONNECTIONS_PER_ADDRESS = 32;
    /** Requests are small (a GET, a form); anything bigger is refused by the aggregator. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** An idle keep-alive connection is closed after this long (Prometheus reconnects at its next scrape). */
    private static final int IDLE_SECONDS = 120;
    /** How long a request may take to arrive whole: a form or a GET takes milliseconds, a slow link seconds. */
    static final long REQUEST_MILLIS = 30_000;

    private final HttpRoutes routes;
    private final ConnectionLimits limits;
    private final long requestMillis;
    private final Throttle refusals = Throttle.perMinute();

    HttpChannels(HttpRoutes routes, ConnectionLimits limits, long requestMillis) {
        this.routes = routes;
        this.limits = limits;
        this.requestMillis = requestMillis;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetAddress address = channel.remoteAddress().getAddress();
        switch (limits.admit(address)) {
            case ADMITTED -> channel.closeFuture().addListener(f -> limits.release(address));
            case TOO_MANY_IN_TOTAL -> {
                refuse(channel, "the HTTP port holds its maximum of " + limits.maxTotal() + " connections");
                return;
            }
            case TOO_MANY_FROM_ADDRESS -> {
                refuse(channel, PeerSource.describe(address) + " holds its maximum of " + limits.maxPerAddress()
                        + " connections to the HTTP port");
                return;
            }
        }
        HttpRequestDeadline deadline = new HttpRequestDeadline(requestMillis);
        channel.pipeline()
                .addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                .addLast(deadline.start())
                .addLast(new HttpServerCodec())
                // gzip when the client accepts it (Prometheus does): a scrape of thousands of queues is megabytes of
                // text that compresses about tenfold
                .addLast(new HttpContentCompressor())
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(deadline.end())
                .addLast(new HttpRequestHandler(routes));
    }

    private void refuse(SocketChannel channel, String why) {
        if (refusals.pass()) {
            log.warn("HTTP port: refused a connection from {}: {} (logged at most once a minute)",
                    channel.remoteAddress().getAddress().getHostAddress(), why);
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(HttpReply.text(503, why).closingBytes()))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
