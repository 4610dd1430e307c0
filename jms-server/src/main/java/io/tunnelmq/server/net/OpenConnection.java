package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.tunnelmq.protocol.ErrorCode;

/**
 * A connection's handler as the parts that end the connection at another's request see it: {@link Resume}, when a
 * successor replaces it, and {@link OperatorView}, when an operator lists or closes it. Both ask on the connection's
 * event loop whether it is still open, since it may have closed while the request waited for the loop.
 */
interface OpenConnection {
    /** Whether the connection is (still) open. */
    boolean isOpen();

    /** Ends the connection with this error. */
    void fail(ChannelHandlerContext ctx, ErrorCode code, String message);
}
