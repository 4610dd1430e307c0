package io.tunnelmq.jms.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.transport.PeerSilent;
import io.tunnelmq.jms.transport.TunnelTransport;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * One tunnel to the broker: the handshake, the request table, the send window, the session channels, and
 * how the connection ends (closed by the application, or failed). All state lives on the connection's event
 * loop; public operations hop onto it and return futures that complete there.
 */
final class TunnelClientConnection implements EngineConnection {
    private static final Logger log = LoggerFactory.getLogger(TunnelClientConnection.class);
    private static final String HANDSHAKE_HANDLER = "tunnelmq-handshake";
    private static final String ENGINE_HANDLER = "tunnelmq-engine";

    private enum State { CONNECTING, OPEN, CLOSING, CLOSED, FAILED }

    private final ConnectionOptions options;
    private final ConnectionEvents events;
    private final EventLoop loop;
    /** host:port, for messages. */
    private final String address;
    private final PendingRequests pending;
    private final SessionTable sessions = new SessionTable();
    private final CompletableFuture<EngineConnection> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    /** Written on the event loop only; volatile so {@link #isClosed()} can read it anywhere. */
    private volatile State state = State.CONNECTING;
    private Channel channel;
    private Welcome welcome;
    private SendScheduler sends;
    private volatile String logId;
    private ScheduledFuture<?> handshakeTimer;
    private EngineException failure;
    private int outboundFrameLimit;

    TunnelClientConnection(ConnectionOptions options, ConnectionEvents events, EventLoop loop) {
        this.options = options;
        this.events = events;
        this.loop = loop;
        this.address = options.address();
        this.logId = "tmq://" + address;
        this.pending = new PendingRequests(loop, options.requestTimeoutMillis(), address);
        this.outboundFrameLimit = options.maxFrameSize();
    }

    // ---- EngineConnection ----

    @Override
    public String connectionId() {
        return welcome == null ? null : welcome.connectionId();
    }

    @Override
    public String brokerVersion() {
        return welcome == null ? null : welcome.brokerVersion();
    }

    @Override
    public int protocolVersion() {
        return welcome == null ? 0 : welcome.version();
    }

    @Override
    public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        CompletableFuture<EngineSession> future = new CompletableFuture<>();
        execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
                return;
            }
            int ch = sessions.allocate();
            ClientSession session = new ClientSession(this, ch, transacted);
            sessions.put(session);
            request(ch, "OpenSession on channel " + ch, id -> new OpenSession(ch, id, transacted, ackMode),
                    new Reply() {
                        @Override
                        public void ok(Ok ok) {
                            future.complete(session);
                        }

                        @Override
                        public void failed(EngineException cause) {
                            session.end(cause, false);
                            sessions.remove(ch, cause.code() != ErrorCode.TIMEOUT);
                            future.completeExceptionally(cause);
                        }
                    });
        });
        return future;
    }

    @Override
    public CompletableFuture<Void> close() {
        if (closeRequested.compareAndSet(false, true)) {
            execute(this::startClose);
        }
        return closed;
    }

    @Override
    public boolean isClosed() {
        return closeRequested.get() || state != State.OPEN;
    }

    // ---- connecting ----

    /** Connects to the resolved broker address and performs the handshake within the connect timeout. */
    CompletableFuture<EngineConnection> connect(InetSocketAddress resolved) {
        execute(() -> {
            handshakeTimer = loop.schedule(this::handshakeTimedOut, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            ChannelFuture connecting = TunnelTransport.connect(options, loop, resolved, pipeline -> pipeline
                    .addLast(HANDSHAKE_HANDLER, new HandshakeHandler(this))
                    .addLast(ENGINE_HANDLER, new ConnectionHandler(this)));
            channel = connecting.channel();
            connecting.addListener(done -> {
                if (!done.isSuccess()) {
                    failConnect(cannotConnect(describe(done.cause()), ErrorCode.CONNECTION_FAILED, done.cause()));
                }
            });
        });
        return opened;
    }

    Hello hello() {
        Map<String, Object> helloOptions = options.lockDurationMillis() > 0
                ? Map.of("lockDuration", options.lockDurationMillis()) : Map.of();
        return new Hello(Protocol.VERSION, options.clientId(), options.user(), options.password(),
                options.heartbeatMillis(), helloOptions);
    }

    void welcomed(Welcome w) {
        if (state != State.CONNECTING) {
            return;
        }
        if (w.version() != Protocol.VERSION) {
            failConnect(new EngineException(ErrorCode.UNSUPPORTED_VERSION, "the broker at tmq://" + address
                    + " speaks protocol version " + w.version() + " but this client speaks version " + Protocol.VERSION
                    + "; use a client and broker of matching versions"));
            return;
        }
        handshakeTimer.cancel(false);
        welcome = w;
        logId = w.connectionId() != null ? w.connectionId() : logId;
        TunnelTransport.setLogId(channel, logId);
        sends = new SendScheduler(new SendWindow(w.receiveBufferBytes()), loop, options.sendTimeoutMillis(), address);
        if (w.maxFrameSize() < options.maxFrameSize()) {
            outboundFrameLimit = w.maxFrameSize();
            TunnelTransport.limitOutboundFrameSize(channel, w.maxFrameSize());
        }
        if (w.heartbeatMillis() > 0) {
            TunnelTransport.startHeartbeats(channel, w.heartbeatMillis());
        }
        state = State.OPEN;
        log.debug("[{}] connected to broker {} at {}: heartbeat {} ms, send window {} bytes, max frame {} bytes",
                logId, w.brokerVersion(), address, w.heartbeatMillis(), w.receiveBufferBytes(), w.maxFrameSize());
        opened.complete(this);
    }

    void handshakeRefused(ErrorFrame error) {
        failConnect(new EngineException(error.code(), "the broker at tmq://" + address + " refused the connection: "
                + error.message()));
    }

    void handshakeViolated(Frame frame) {
        failConnect(cannotConnect("the broker answered the handshake with " + frame.type() + " instead of WELCOME",
                ErrorCode.PROTOCOL_VIOLATION, null));
    }

    private void handshakeTimedOut() {
        if (state != State.CONNECTING) {
            return;
        }
        boolean tcpUp = channel != null && channel.isActive();
        failConnect(tcpUp
                ? cannotConnect("no answer to the handshake within " + options.connectTimeoutMillis() + " ms", ErrorCode.TIMEOUT, null)
                : cannotConnect("connection timed out after " + options.connectTimeoutMillis() + " ms", ErrorCode.CONNECTION_FAILED, null));
    }

    private void failConnect(EngineException cause) {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.FAILED;
        failure = cause;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        log.debug("[{}] {}", logId, cause.getMessage());
        opened.completeExceptionally(cause);
        if (channel != null) {
            channel.close();
        }
        closed.complete(null);
    }

    private EngineException cannotConnect(String reason, ErrorCode code, Throwable cause) {
        return new EngineException(code, "cannot connect to TunnelMQ broker at tmq://" + address + ": " + reason, cause);
    }

    // ---- frames from the broker ----

    void onFrame(Frame frame) {
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        switch (frame.type()) {
            case OK -> onOk((Ok) frame);
            case ERROR -> onError((ErrorFrame) frame);
            case WINDOW_UPDATE -> sends.freeBytes(((WindowUpdate) frame).freeBytes());
            case HEARTBEAT -> { } // reading it was the point: the idle timer restarts
            case DELIVER -> onDeliver((Deliver) frame);
            case REVOKE -> log.debug("[{}] ignoring {}: revocation is not supported by this client yet", logId, (Revoke) frame);
            default -> violation("the broker at " + address + " sent an unexpected " + frame.type() + " frame");
        }
    }

    private void onOk(Ok ok) {
        PendingRequests.Entry entry = pending.take(ok.requestId());
        sends.freeBytes(ok.freeBytes());
        if (entry == null) {
            log.debug("[{}] Ok for request {} that is no longer pending (timed out?)", logId, ok.requestId());
        } else {
            entry.reply().ok(ok);
        }
    }

    private void onError(ErrorFrame error) {
        if (error.requestId() != Protocol.NO_REPLY) {
            PendingRequests.Entry entry = pending.take(error.requestId());
            if (entry == null) {
                log.debug("[{}] error for request {} that is no longer pending: {} {}", logId, error.requestId(),
                        error.code(), error.message());
            } else {
                entry.reply().failed(new EngineException(error.code(), error.message()));
            }
        } else if (error.channel() == Protocol.CONTROL_CHANNEL) {
            fail(new EngineException(error.code(), "the broker at " + address + " ended the connection: " + error.message()));
        } else {
            ClientSession session = sessions.get(error.channel());
            if (session == null) {
                log.debug("[{}] error for unknown session {}: {} {}", logId, error.channel(), error.code(), error.message());
            } else {
                log.debug("[{}] the broker ended session {}: {} {}", logId, error.channel(), error.code(), error.message());
                session.endedByBroker(new EngineException(error.code(), "the broker ended session " + error.channel()
                        + ": " + error.message()));
            }
        }
    }

    private void onDeliver(Deliver deliver) {
        ClientSession session = sessions.get(deliver.channel());
        if (state == State.CLOSING) {
            // Disconnect is on its way and the broker abandons every lock on it; a settle now would follow it
            log.debug("[{}] closing: dropping delivery {}", logId, deliver.lockToken());
        } else if (session == null) {
            log.warn("[{}] delivery {} for unknown session {} dropped", logId, deliver.lockToken(), deliver.channel());
        } else {
            session.onDeliver(deliver);
        }
    }

    // ---- transport events ----

    void transportClosed() {
        if (state == State.CONNECTING) {
            failConnect(cannotConnect("the broker closed the connection during the handshake", ErrorCode.CONNECTION_FAILED, null));
        } else {
            fail(new EngineException(ErrorCode.CONNECTION_FAILED, "the broker at " + address + " closed the connection"));
        }
    }

    void transportFailed(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason;
        if (root instanceof ProtocolException pe) {
            reason = "the broker at " + address + " sent a malformed frame (" + pe.code() + "): " + pe.getMessage();
            tellBroker(new ErrorFrame(Protocol.CONTROL_CHANNEL, Protocol.NO_REPLY, pe.code(), pe.getMessage()));
        } else if (root instanceof IOException) {
            reason = "the connection to the broker at " + address + " broke: " + describe(root);
        } else {
            reason = "the connection to the broker at " + address + " failed: " + describe(root);
        }
        if (state == State.CONNECTING) {
            failConnect(cannotConnect(reason, ErrorCode.CONNECTION_FAILED, root));
        } else {
            fail(new EngineException(ErrorCode.CONNECTION_FAILED, reason, root));
        }
    }

    void peerSilent(PeerSilent event) {
        fail(new EngineException(ErrorCode.CONNECTION_FAILED, "no heartbeat from the broker at " + address + " for "
                + event.silentMillis() + " ms"));
    }

    private void violation(String reason) {
        tellBroker(new ErrorFrame(Protocol.CONTROL_CHANNEL, Protocol.NO_REPLY, ErrorCode.PROTOCOL_VIOLATION, reason));
        fail(new EngineException(ErrorCode.CONNECTION_FAILED, reason));
    }

    private void tellBroker(ErrorFrame error) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(error);
        }
    }

    // ---- how the connection ends ----

    /**
     * The connection failed: every pending future and waiting send fails with {@code cause}, every consumer's
     * listener hears of it, then the facade does — once, and never after it asked to close.
     */
    void fail(EngineException cause) {
        switch (state) {
            case CONNECTING -> failConnect(cause);
            case CLOSING -> finishClose();
            case OPEN -> {
                state = State.FAILED;
                failure = cause;
                log.warn("[{}] connection to the broker at {} failed: {}", logId, address, cause.getMessage());
                sends.drainAll();
                pending.failAll(cause);
                List<ClientSession> all = sessions.all();
                all.forEach(s -> s.failHeld(cause));
                all.forEach(s -> s.end(cause, true));
                channel.close();
                closed.complete(null);
                if (closeRequested.get()) {
                    return; // the application asked to close before its request reached the loop: not news to it
                }
                try {
                    events.connectionFailed(cause);
                } catch (RuntimeException e) {
                    log.error("[{}] connectionFailed listener threw", logId, e);
                }
            }
            default -> { } // already over
        }
    }

    private void startClose() {
        switch (state) {
            case CONNECTING -> failConnect(cannotConnect("the connection was closed during the handshake",
                    ErrorCode.ILLEGAL_STATE, null));
            case OPEN -> {
                state = State.CLOSING;
                log.debug("[{}] closing", logId);
                EngineException closedCause = connectionClosed();
                sends.drainAll();
                sessions.all().forEach(s -> s.end(closedCause, false));
                request(Protocol.CONTROL_CHANNEL, "Disconnect", Disconnect::new, new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        finishClose();
                    }

                    @Override
                    public void failed(EngineException cause) {
                        log.debug("[{}] no clean Disconnect ({}); closing the socket anyway", logId, cause.getMessage());
                        finishClose();
                    }
                });
            }
            default -> closed.complete(null);
        }
    }

    private void finishClose() {
        if (state != State.CLOSING) {
            return;
        }
        state = State.CLOSED;
        pending.failAll(connectionClosed());
        channel.close().addListener(done -> {
            log.debug("[{}] closed", logId);
            closed.complete(null);
        });
    }

    // ---- services for sessions (event loop) ----

    /** Runs a task on the connection's event loop, in submission order. */
    void execute(Runnable task) {
        loop.execute(task);
    }

    /** Why operations cannot run now, or null while the connection is open. */
    EngineException refusal() {
        if (state == State.OPEN) {
            return null;
        }
        if (state == State.FAILED && failure != null) {
            return new EngineException(ErrorCode.ILLEGAL_STATE, "connection is closed: it failed (" + failure.getMessage()
                    + ")", failure);
        }
        return connectionClosed();
    }

    private static EngineException connectionClosed() {
        return new EngineException(ErrorCode.ILLEGAL_STATE, "connection is closed");
    }

    /**
     * Registers a request, then writes it. The answer, an error, a timeout or a write failure reaches
     * {@code reply} exactly once.
     */
    void request(int ch, String what, LongFunction<Frame> frameFor, Reply reply) {
        long id = pending.register(ch, what, reply);
        Frame frame;
        try {
            frame = frameFor.apply(id);
        } catch (RuntimeException e) {
            pending.take(id);
            reply.failed(new EngineException(ErrorCode.INTERNAL_ERROR, what + " could not be built: " + e.getMessage(), e));
            return;
        }
        channel.writeAndFlush(frame).addListener(done -> {
            if (done.isSuccess()) {
                reply.written();
            } else {
                PendingRequests.Entry entry = pending.take(id);
                if (entry != null) {
                    entry.reply().failed(writeFailure(frame, done.cause()));
                }
            }
        });
    }

    /** Writes a frame that gets no answer; {@code written}, if given, completes once it reached the socket. */
    void writeOneWay(Frame frame, CompletableFuture<Void> written) {
        ChannelFuture writing = channel.writeAndFlush(frame);
        if (written != null) {
            writing.addListener(done -> {
                if (done.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(writeFailure(frame, done.cause()));
                }
            });
        } else {
            writing.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    private EngineException writeFailure(Frame frame, Throwable cause) {
        Throwable root = cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException pe && pe.code() == ErrorCode.FRAME_TOO_LARGE) {
            if (frame instanceof Send send) {
                return new EngineException(ErrorCode.MESSAGE_TOO_LARGE, "message to " + send.message().destination()
                        + " is too large: " + pe.getMessage() + "; the broker at " + address + " accepts frames of up to "
                        + outboundFrameLimit + " bytes, so send a smaller message", pe);
            }
            return new EngineException(ErrorCode.FRAME_TOO_LARGE, frame.type() + " is too large: " + pe.getMessage(), pe);
        }
        if (!channel.isActive()) {
            return new EngineException(ErrorCode.CONNECTION_FAILED, "the connection to the broker at " + address
                    + " is lost; " + frame.type() + " was not sent", root);
        }
        return new EngineException(ErrorCode.CONNECTION_FAILED, "writing " + frame.type() + " to the broker at "
                + address + " failed: " + describe(root), root);
    }

    void forgetSession(ClientSession session, boolean freeNumber) {
        if (sessions.get(session.channel()) == session) {
            sessions.remove(session.channel(), freeNumber);
        }
    }

    SendScheduler sends() {
        return sends;
    }

    PendingRequests pending() {
        return pending;
    }

    String logId() {
        return logId;
    }

    private static String describe(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return "connection timed out: " + t.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "TunnelClientConnection[" + logId + " to tmq://" + address + ", " + state + "]";
    }
}
