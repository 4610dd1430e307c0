package io.tunnelmq.jms.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tunnelmq.jms.transport.TlsFailures;
import io.tunnelmq.jms.transport.PeerHeard;
import io.tunnelmq.jms.transport.PeerSilent;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.frame.SettleFailed;
import io.tunnelmq.protocol.frame.WindowUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of a tunnel's pipeline. Routes the broker's frames (after the handshake) to the request
 * table, the send window and the sessions, and hands transport events to the connection.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final TunnelClientConnection connection;

    ConnectionHandler(TunnelClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
        } else if (connection.acceptsFrames()) {
            route(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.transportLost("the broker closed the connection during the handshake",
                "the broker at " + connection.brokerAddress() + " closed the connection", null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // handled here, not passed on: the connection fails (or was already over) and says why
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String broker = "the broker at " + connection.brokerAddress();
        if (TlsFailures.isTls(root)) {
            transportFailed(TlsFailures.describe(root, connection.brokerAddress()), root);
        } else if (root instanceof ProtocolException pe) {
            connection.tellBroker(new ErrorFrame(Protocol.CONTROL_CHANNEL, Protocol.NO_REPLY, pe.code(), pe.getMessage()));
            transportFailed(broker + " sent a malformed frame (" + pe.code() + "): " + pe.getMessage(), root);
        } else if (root instanceof IOException) {
            transportFailed("the connection to " + broker + " broke: " + describe(root), root);
        } else {
            transportFailed("the connection to " + broker + " failed: " + describe(root), root);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            // before the SslHandler closes the channel: the connect fails with the reason, not "closed"
            transportFailed(TlsFailures.describe(tls.cause(), connection.brokerAddress()), tls.cause());
        } else if (event instanceof PeerSilent silent) {
            connection.fail(new EngineException(ErrorCode.CONNECTION_FAILED, "no heartbeat from the broker at "
                    + connection.brokerAddress() + " for " + silent.silentMillis() + " ms"));
        } else if (event instanceof PeerHeard heard) {
            connection.peerHeard(heard);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** The transport broke (I/O error, malformed frame, ...); {@code reason} says what happened, naming the broker. */
    private void transportFailed(String reason, Throwable cause) {
        connection.transportLost(reason, reason, cause);
    }

    /** The broker broke the protocol: tell it why, and end the connection. */
    private void violation(String reason) {
        connection.tellBroker(new ErrorFrame(Protocol.CONTROL_CHANNEL, Protocol.NO_REPLY, ErrorCode.PROTOCOL_VIOLATION,
                reason));
        connection.fail(new EngineException(ErrorCode.CONNECTION_FAILED, reason));
    }

    static String describe(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return "connection timed out: " + t.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private void route(Frame frame) {
        switch (frame.type()) {
            case OK -> onOk((Ok) frame);
            case LOCKS_RENEWED -> onLocksRenewed((LocksRenewed) frame);
            case BROWSED -> onBrowsed((Browsed) frame);
            case ERROR -> onError((ErrorFrame) frame);
            case WINDOW_UPDATE -> onWindowUpdate((WindowUpdate) frame);
            case HEARTBEAT -> { } // reading it was the point: the idle timer restarts
            case DELIVER -> onDeliver((Deliver) frame);
            case REVOKE -> onRevoke((Revoke) frame);
            case SETTLE_FAILED -> onSettleFailed((SettleFailed) frame);
            case SEND_FAILED -> onSendFailed((SendFailed) frame);
            default -> violation("the broker at " + connection.brokerAddress() + " sent an unexpected "
                    + frame.type() + " frame");
        }
    }

    /** The send window's report; the free figures in answers to requests are read by the sends they answer. */
    private void onWindowUpdate(WindowUpdate update) {
        connection.sends().reported(update.received(), update.freeBytes(), update.reason());
    }

    private void onOk(Ok ok) {
        PendingRequests.Entry entry = connection.pending().take(ok.requestId());
        if (entry == null) {
            log.debug("[{}] Ok for request {} that is no longer pending (timed out?)", connection.logId(), ok.requestId());
        } else {
            entry.reply().ok(ok);
        }
    }

    private void onLocksRenewed(LocksRenewed renewed) {
        PendingRequests.Entry entry = connection.pending().take(renewed.requestId());
        if (entry == null) {
            log.debug("[{}] LocksRenewed for request {} that is no longer pending (timed out?)", connection.logId(),
                    renewed.requestId());
        } else {
            entry.reply().locksRenewed(renewed);
        }
    }

    private void onBrowsed(Browsed page) {
        PendingRequests.Entry entry = connection.pending().take(page.requestId());
        if (entry == null) {
            log.debug("[{}] Browsed for request {} that is no longer pending (timed out?)", connection.logId(),
                    page.requestId());
        } else {
            entry.reply().browsed(page);
        }
    }

    private void onError(ErrorFrame error) {
        if (error.requestId() != Protocol.NO_REPLY) {
            PendingRequests.Entry entry = connection.pending().take(error.requestId());
            if (entry == null) {
                log.debug("[{}] error for request {} that is no longer pending: {} {}", connection.logId(),
                        error.requestId(), error.code(), error.message());
            } else {
                entry.reply().failed(new EngineException(error.code(), error.message(), error.lockTokens()));
            }
        } else if (error.channel() == Protocol.CONTROL_CHANNEL) {
            connection.fail(new EngineException(error.code(), "the broker at " + connection.brokerAddress()
                    + " ended the connection: " + error.message()));
        } else {
            ClientSession session = connection.session(error.channel());
            if (session == null) {
                log.debug("[{}] error for unknown session {}: {} {}", connection.logId(), error.channel(), error.code(),
                        error.message());
            } else {
                log.debug("[{}] the broker ended session {}: {} {}", connection.logId(), error.channel(), error.code(),
                        error.message());
                session.endedByBroker(new EngineException(error.code(), "the broker ended session " + error.channel()
                        + ": " + error.message()));
            }
        }
    }

    private void onRevoke(Revoke revoke) {
        ClientSession session = connection.session(revoke.channel());
        if (connection.isClosing() || session == null) {
            log.debug("[{}] revoke for closing or unknown session {} ignored", connection.logId(), revoke.channel());
        } else {
            session.onRevoke(revoke);
        }
    }

    private void onSettleFailed(SettleFailed failed) {
        ClientSession session = connection.session(failed.channel());
        if (session == null) {
            log.debug("[{}] settle failure for unknown session {}: {}", connection.logId(), failed.channel(),
                    failed.message());
        } else {
            session.settlements().failed(failed);
        }
    }

    private void onSendFailed(SendFailed failed) {
        ClientSession session = connection.session(failed.channel());
        if (session == null) {
            log.debug("[{}] send failure for unknown session {}: {}", connection.logId(), failed.channel(),
                    failed.message());
        } else {
            session.sends().failed(failed);
        }
    }

    private void onDeliver(Deliver deliver) {
        ClientSession session = connection.session(deliver.channel());
        if (connection.isClosing()) {
            // Disconnect is on its way and the broker abandons every lock on it; a settle now would follow it
            log.debug("[{}] closing: dropping delivery {}", connection.logId(), deliver.lockToken());
        } else if (session == null) {
            log.warn("[{}] delivery {} for unknown session {} dropped", connection.logId(), deliver.lockToken(),
                    deliver.channel());
        } else {
            session.onDeliver(deliver);
        }
    }
}
