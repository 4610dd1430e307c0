package io.tunnelmq.server.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.codec.DirectFrameWriter;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.frame.AdminRequest;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.server.queue.OwnerGone;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.session.ClientConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a connection's pipeline: the handshake, channel 0 (heartbeats, Disconnect), routing of
 * session frames to the {@link ClientConnection}, and every connection-ending failure — a bad frame, a silent
 * peer, a violation — answered with {@code ErrorFrame(0, 0, code, message)} before the socket closes.
 *
 * <p>A client that reconnects after a loss may name its previous connection in its Hello: the broker ends that one
 * first ({@link Resume}) and only then opens this one. What operators see of a connection and their close is
 * {@link OperatorView}.
 *
 * <p>Before login a peer is held short, so that peers who never log in cannot exhaust the broker: its frames may be
 * at most {@link #PRE_LOGIN_MAX_FRAME_SIZE} bytes (the decoder refuses a larger announced length at once, so no more
 * is ever buffered), its Hello must arrive within the handshake timeout of the connection's start — an absolute
 * deadline that bytes trickling in do not extend — and its credentials are checked off the event loop, a refusal
 * held back as the failed-login back-off says. Complaints about such peers are logged once per address per interval.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<Frame> implements Login.Steps, OpenConnection {
    /** User event: the broker is shutting down; tell the client and close. */
    static final Object SHUTDOWN = new Object();

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    /** How long the error frame that ends a connection may take to leave before the socket closes without it. */
    private static final long ERROR_FRAME_GRACE_MILLIS = 5_000;
    /** The largest frame before login: a Hello (names, password, a few options) needs far less. */
    static final int PRE_LOGIN_MAX_FRAME_SIZE = 8 * 1024;

    /**
     * AUTHENTICATING: the credentials are being checked off the event loop; REFUSING: they were refused and the answer
     * is held back (failed-login back-off); OPENING: they were accepted, and the connection waits for the previous one
     * the Hello resumes to end (on its own event loop) or for its client ID to be claimed across the brokers.
     */
    private enum State { AWAITING_HELLO, AUTHENTICATING, REFUSING, OPENING, OPEN, CLOSED }

    private final String connectionId;
    private final NetSettings settings;
    private final BrokerContext broker;
    private final Login login;
    private final LiveConnections live;
    private final Resume resume;

    private State state = State.AWAITING_HELLO;
    private ChannelHandlerContext context;
    private ClientConnection connection;
    private final ClientIdHold clientId;
    /** The user of the Hello, once open: its admin requests run as this user. */
    private String user;
    private int heartbeatMillis;
    /** The connection's wire watch once heartbeats run, or null. */
    private WireWatch watch;
    /** Runs admin requests; null when this broker refuses them. */
    private final AdminChannel admin;
    /** When the client connected, for operators. */
    private final long openedAtMillis = System.currentTimeMillis();
    /** What operators see of this connection: set once it is open. */
    private OperatorView operator;
    /** The broker's event loops, between which the connection may move once open. */
    private final BrokerLoops loops;
    /** Work other threads hand this connection, run on its event loop. */
    private ConnectionTasks tasks;

    /**
     * @param admin the admin channel, or null to refuse admin requests
     * @param loops the broker's event loops, between which the connection may move once open
     */
    ConnectionHandler(String connectionId, NetSettings settings, BrokerContext broker, Logins logins,
                      LiveConnections live, AdminChannel admin, BrokerLoops loops) {
        this.admin = admin;
        this.loops = loops;
        this.connectionId = connectionId;
        this.settings = settings;
        this.broker = broker;
        this.live = live;
        this.login = new Login(connectionId, settings, logins, broker.counters(), this);
        this.resume = new Resume(connectionId, broker, this);
        this.clientId = new ClientIdHold(live.clientIds(), connectionId);
    }

    /** Its part in a resume, for the connection that replaces it. */
    Resume resume() {
        return resume;
    }

    /** What operators see of it and their close; set before it is registered as open. */
    OperatorView operator() {
        return operator;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        tasks = new ConnectionTasks(ctx.channel(), connectionId, loops, broker.counters());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        switch (state) {
            case AWAITING_HELLO -> {
                if (frame instanceof Hello hello) {
                    handshake(ctx, hello);
                } else {
                    fail(ctx, ErrorCode.PROTOCOL_VIOLATION, "the first frame must be Hello, not " + frame.type());
                }
            }
            case AUTHENTICATING, OPENING -> fail(ctx, ErrorCode.PROTOCOL_VIOLATION, "a " + frame.type()
                    + " frame arrived before Welcome; wait for the handshake to finish");
            case OPEN -> route(ctx, frame);
            case REFUSING, CLOSED -> log.trace("connection {}: ignored {} after close", connectionId, frame.type());
        }
    }

    private void handshake(ChannelHandlerContext ctx, Hello hello) {
        HandshakeDeadline.remove(ctx.pipeline());
        Handshake.Terms terms = login.negotiate(ctx, hello);
        if (terms == null) {
            return;
        }
        state = State.AUTHENTICATING;
        login.check(ctx, hello, terms, openedAtMillis);
    }

    // ---- Login.Steps ----

    @Override
    public boolean awaitingVerdict() {
        return state == State.AUTHENTICATING;
    }

    @Override
    public void accepted(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms) {
        Resume previous = terms.resumeConnectionId() == null ? null : live.resumeOf(terms.resumeConnectionId());
        CompletableFuture<Void> previousEnded = resume.endPrevious(ctx, hello, terms, previous);
        if (previousEnded == null) {
            open(ctx, hello, terms);
            return;
        }
        openAfter(ctx, previousEnded, () -> open(ctx, hello, terms));
    }

    /** Reads stop until {@code step} completes, then {@code next} runs: nothing may run before the Welcome. */
    private void openAfter(ChannelHandlerContext ctx, CompletableFuture<?> step, Runnable next) {
        state = State.OPENING;
        ctx.channel().config().setAutoRead(false);
        step.whenComplete((ignored, e) -> ctx.executor().execute(() -> {
            ctx.channel().config().setAutoRead(true);
            if (state == State.OPENING) {
                next.run();
            } else {
                closeConnection(OwnerGone.HEARD); // closed meanwhile: what passed to it goes
            }
        }));
    }

    @Override
    public void refusing() {
        state = State.REFUSING;
    }

    // ---- OpenConnection ----

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** The handshake's second half: the client ID (claimed across the brokers first), the session state, Welcome. */
    private void open(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms) {
        CompletableFuture<Boolean> claim = clientId.claim(hello, terms);
        if (claim != null && !claim.isDone()) {
            openAfter(ctx, claim, () -> open(ctx, hello, terms));
            return;
        }
        if (!holdsClientId(ctx)) {
            return;
        }
        heartbeatMillis = terms.heartbeatMillis();
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        if (decoder != null) {
            decoder.maxFrameSize(settings.maxFrameSize()); // logged in: now full-sized frames may come
        }
        user = hello.user();
        resume.opened(ctx, tasks, user, terms.resumeKey());
        connection = new ClientConnection(connectionId, hello.clientId(), terms.lockDurationMillis(), broker,
                new ChannelFrameSink(ctx.channel(), tasks, connectionId), broker.access().forUser(hello.user()),
                terms.unansweredSends());
        state = State.OPEN;
        operator = new OperatorView(connectionId, ctx, tasks, user, clientId.clientId(), connection, openedAtMillis,
                this);
        live.opened(connectionId, this);
        ctx.writeAndFlush(Handshake.welcome(hello, terms, connectionId, connection.welcomeFreeBytes(), settings,
                broker));
        if (heartbeatMillis > 0) {
            watch = WireWatch.of(ctx.pipeline());
            watch.heartbeats(heartbeatMillis);
        }
        tasks.movable(LoopMove.of(ctx.channel(), connectionId));
        broker.counters().connectionOpened();
        // DEBUG: a JmsTemplate without a caching factory opens a connection per send; the summary counts them
        log.debug("connection {} opened from {} (client ID {}, user {}, heartbeat {} ms)", connectionId, remote(ctx),
                clientId.clientId(), hello.user(), heartbeatMillis);
    }

    /** Whether the connection holds its client ID now (or named none); if not, it is refused. */
    private boolean holdsClientId(ChannelHandlerContext ctx) {
        ProtocolException refusal = clientId.refusal();
        if (refusal != null) {
            log.info("connection {} from {} refused: {}", connectionId, remote(ctx), refusal.getMessage());
            fail(ctx, refusal.code(), refusal.getMessage());
        }
        return refusal == null;
    }

    private void route(ChannelHandlerContext ctx, Frame frame) {
        tasks.read();
        switch (frame.type()) {
            case HEARTBEAT -> {
                // reading it already counted as life; an idle client's heartbeat gets one back at once (WireWatch)
                if (watch != null && state == State.OPEN && watch.answerDue()) {
                    DirectFrameWriter.heartbeat(ctx.channel(), FrameTraceHandler.class);
                }
            }
            case DISCONNECT -> disconnect(ctx, (Disconnect) frame);
            case HELLO -> fail(ctx, ErrorCode.PROTOCOL_VIOLATION, "second Hello: the connection is already open");
            case OPEN_SESSION, CLOSE_SESSION, CREATE_CONSUMER, CLOSE_CONSUMER, SEND, CREDIT, SETTLE, COMMIT, COMMIT_QUERY,
                 ROLLBACK, UNSUBSCRIBE, BROWSE, CREATE_TEMPORARY, DELETE_TEMPORARY, CHECK_ACCESS ->
                    connection.onFrame(frame);
            case ADMIN_REQUEST -> admin((AdminRequest) frame);
            case WELCOME, WINDOW_UPDATE, OK, ERROR, LOCKS_RENEWED, SEND_FAILED, DELIVER, REVOKE, SETTLE_FAILED, BROWSED,
                 ADMIN_REPLY -> fail(ctx, ErrorCode.PROTOCOL_VIOLATION, frame.type()
                    + " frames travel from broker to client only");
        }
    }

    private void admin(AdminRequest request) {
        if (admin == null) {
            context.writeAndFlush(new ErrorFrame(Protocol.CONTROL_CHANNEL, request.requestId(),
                    ErrorCode.ILLEGAL_STATE, "this broker does not take admin requests"));
            return;
        }
        admin.handle(context.channel(), tasks, request, user, operator.describe());
    }

    private void disconnect(ChannelHandlerContext ctx, Disconnect disconnect) {
        state = State.CLOSED;
        // answered once its subscriptions and client ID are given back: another broker finds them free right after
        closeConnection(OwnerGone.HEARD).whenComplete((v, e) -> ctx.executor().execute(() -> ctx.writeAndFlush(new Ok(
                Protocol.CONTROL_CHANNEL, disconnect.requestId(), connection.reportFreeBytes()))
                .addListener(ChannelFutureListener.CLOSE)));
        broker.counters().connectionDisconnected();
        log.debug("connection {} disconnected by the client", connectionId);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof ProtocolException bad) {
            if (state == State.OPEN) {
                log.warn("connection {} from {}: {} ({}); closing it", connectionId, remote(ctx), bad.getMessage(),
                        bad.code());
            } else {
                login.complain(ctx, LogThrottle.Kind.HANDSHAKE, "closed before login",
                        bad.getMessage() + " (" + bad.code() + ")");
            }
            fail(ctx, bad.code(), bad.getMessage());
        } else if (problem instanceof IOException) {
            log.debug("connection {} from {}: {}", connectionId, remote(ctx), problem.toString());
            ctx.close();
        } else {
            log.error("connection {} from {}: unexpected failure; closing it", connectionId, remote(ctx), problem);
            fail(ctx, ErrorCode.INTERNAL_ERROR, "the broker failed: " + problem);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == SHUTDOWN) {
            fail(ctx, ErrorCode.SHUTTING_DOWN, "the broker is shutting down");
            return;
        }
        if (event == HandshakeDeadline.OVERDUE) {
            if (state == State.AWAITING_HELLO) {
                login.overdue(ctx);
            }
            return;
        }
        if (!(event instanceof IdleStateEvent idle)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        if (idle.state() == IdleState.WRITER_IDLE && state == State.OPEN) {
            DirectFrameWriter.heartbeat(ctx.channel(), FrameTraceHandler.class);
        } else if (idle.state() == IdleState.READER_IDLE && state == State.OPEN) {
            log.warn("connection {} from {}: nothing received for {} ms ({} heartbeat intervals); dropping it",
                    connectionId, remote(ctx), silenceMillis(), Protocol.MISSED_HEARTBEATS);
            fail(ctx, ErrorCode.CONNECTION_FAILED, "the broker received nothing for " + silenceMillis() + " ms ("
                    + Protocol.MISSED_HEARTBEATS + " heartbeat intervals) and closed the connection", OwnerGone.SILENT);
        }
    }

    /** Silence after which the client is dead: it misses this many heartbeats (the client counts the same). */
    private long silenceMillis() {
        return Protocol.MISSED_HEARTBEATS * (long) heartbeatMillis;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        // unwritable: queues skip this connection's consumers by themselves; writable again: wake them
        if (ctx.channel().isWritable() && state == State.OPEN) {
            log.trace("connection {}: writable again", connectionId);
            connection.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        WireWatch watch = WireWatch.of(ctx.pipeline());
        closeConnection(watch != null && watch.fellSilent() ? OwnerGone.SILENT : OwnerGone.HEARD);
        if (wasOpen) {
            broker.counters().connectionLost();
            log.debug("connection {} from {} lost", connectionId, remote(ctx));
        } else {
            log.debug("connection {} from {} closed", connectionId, remote(ctx));
        }
        super.channelInactive(ctx);
    }

    /**
     * Ends the connection: releases its unseen messages and abandons its other locks at once, tells the client why,
     * closes the socket.
     */
    @Override
    public void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
        fail(ctx, code, message, OwnerGone.HEARD);
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String message, OwnerGone how) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeConnection(how);
        ctx.writeAndFlush(new ErrorFrame(Protocol.CONTROL_CHANNEL, 0, code, message))
                .addListener(ChannelFutureListener.CLOSE);
        // a silent peer may never take the error frame (its network stalled with our socket buffer full): close anyway
        ctx.executor().schedule((Runnable) ctx::close, ERROR_FRAME_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Void> closeConnection(OwnerGone how) {
        tasks.movable(null);
        live.closed(connectionId, this);
        if (connection == null) {
            resume.closedUnopened();
        }
        CompletableFuture<Void> given = connection == null ? CompletableFuture.completedFuture(null)
                : connection.close(how);
        return given.thenCombine(clientId.release(), (a, b) -> null);
    }

    private static SocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress();
    }
}
