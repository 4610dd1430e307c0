package io.tunnelmq.jms.engine;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.tunnelmq.jms.transport.Heartbeats;
import io.tunnelmq.jms.transport.PeerHeard;
import io.tunnelmq.jms.transport.ClientTls;
import io.tunnelmq.jms.transport.TunnelTransport;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * One tunnel to the broker: what the handshake agreed, the request table, the send window, the session channels,
 * and how the connection ends (its connect failed, the application closed it, or it failed); {@link ConnectAttempt}
 * makes the connect and times it. All state lives on the connection's event loop; public operations hop onto it and
 * return futures that complete there.
 */
final class TunnelClientConnection implements EngineConnection {
    private static final Logger log = LoggerFactory.getLogger(TunnelClientConnection.class);

    private enum State { CONNECTING, OPEN, CLOSING, CLOSED, FAILED }

    private final EngineOptions options;
    private final ConnectionEvents events;
    private final EventLoop loop;
    /** host:port, for messages. */
    private final String address;
    private final PendingRequests pending;
    private final SessionTable sessions = new SessionTable();
    private final ConnectionRequests control = new ConnectionRequests(this, sessions);
    private final ConnectAttempt attempt;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    /** Written on the event loop only; volatile so {@link #isClosed()} can read it anywhere. */
    private volatile State state = State.CONNECTING;
    private Channel channel;
    private Welcome welcome;
    /** Written once on the event loop before the connection opens; read there afterwards. */
    private BrokerClock brokerClock = BrokerClock.UNKNOWN;
    private SendScheduler sends;
    private volatile String logId;
    private TunnelWriter writer;
    private EngineException failure;
    /** Set once on the event loop when heartbeats start; read by application threads before a hand-out. */
    private volatile Heartbeats heartbeats;

    TunnelClientConnection(EngineOptions options, ConnectionEvents events, EventLoop loop) {
        this.options = options;
        this.events = events;
        this.loop = loop;
        this.address = options.address();
        this.logId = options.url();
        this.pending = new PendingRequests(loop, options.requestTimeoutMillis(), address);
        this.attempt = new ConnectAttempt(this, options, loop);
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
    public List<String> peers() {
        return welcome == null ? List.of() : welcome.peers();
    }

    @Override
    public String storeId() {
        return welcome == null ? null : welcome.storeId();
    }

    @Override
    public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        return control.openSession(transacted, ackMode);
    }

    @Override
    public CompletableFuture<Void> createTemporary(WireDestination destination) {
        return control.createTemporary(destination);
    }

    @Override
    public CompletableFuture<Void> deleteTemporary(WireDestination destination) {
        return control.deleteTemporary(destination);
    }

    /** The broker takes sends it does not answer ({@code Welcome.unansweredSends}). */
    boolean unansweredSends() {
        return welcome != null && welcome.unansweredSends();
    }

    @Override
    public boolean accessChecked() {
        return welcome != null && welcome.accessChecked();
    }

    @Override
    public CompletableFuture<Void> checkAccess(WireDestination destination, Permission permission) {
        return accessChecked() ? control.checkAccess(destination, permission) : CompletableFuture.completedFuture(null);
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

    @Override
    public boolean brokerQuiet() {
        Heartbeats h = heartbeats;
        return h != null && h.peerQuiet();
    }

    // ---- connecting ----

    /** Connects to the resolved broker address and performs the handshake within the connect timeout. */
    CompletableFuture<EngineConnection> connect(InetSocketAddress resolved, ClientTls tls) {
        return attempt.start(resolved, tls);
    }

    /** The channel being connected: the connection writes through it from now on. */
    void attach(Channel connecting) {
        channel = connecting;
        writer = new TunnelWriter(channel, pending, address, options.maxFrameSize());
    }

    /** Until the connect attempt ended. */
    boolean isConnecting() {
        return state == State.CONNECTING;
    }

    /** The broker's Welcome: the connection takes its figures and opens. */
    void open(Welcome w) {
        welcome = w;
        brokerClock = BrokerClock.fromWelcome(w.brokerTimeMillis(), System.currentTimeMillis());
        logId = w.connectionId() != null ? w.connectionId() : logId;
        TunnelTransport.setLogId(channel, logId);
        sends = new SendScheduler(new SendWindow(w.receiveBufferBytes()), loop, options.sendTimeoutMillis(), address);
        if (w.maxFrameSize() < options.maxFrameSize()) {
            writer.frameLimit(w.maxFrameSize());
            TunnelTransport.limitOutboundFrameSize(channel, w.maxFrameSize());
        }
        if (w.heartbeatMillis() > 0) {
            heartbeats = TunnelTransport.startHeartbeats(channel, w.heartbeatMillis());
        }
        state = State.OPEN;
        log.debug("[{}] connected to broker {} at {}: heartbeat {} ms, send window {} bytes, max frame {} bytes",
                logId, w.brokerVersion(), address, w.heartbeatMillis(), w.receiveBufferBytes(), w.maxFrameSize());
    }

    /** The connect failed: the caller of {@link #connect} learns why, and the connection is over. */
    void failConnect(EngineException cause) {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.FAILED;
        failure = cause;
        log.debug("[{}] {}", logId, cause.getMessage());
        attempt.failed(cause);
        if (channel != null) {
            channel.close();
        }
        closed.complete(null);
    }

    // ---- what the frame router needs ----

    /** Frames are routed while the connection is open, and while it closes (answers still count). */
    boolean acceptsFrames() {
        return state == State.OPEN || state == State.CLOSING;
    }

    boolean isClosing() {
        return state == State.CLOSING;
    }

    ClientSession session(int ch) {
        return sessions.get(ch);
    }

    String brokerAddress() {
        return address;
    }

    // ---- transport events (translated by ConnectionHandler) ----

    /**
     * The transport ended or broke: during the handshake the connect fails with {@code duringHandshake} (naming the
     * broker), afterwards the connection fails with {@code afterwards}.
     */
    void transportLost(String duringHandshake, String afterwards, Throwable cause) {
        if (state == State.CONNECTING) {
            failConnect(attempt.cannotConnect(duringHandshake, ErrorCode.CONNECTION_FAILED, cause));
        } else {
            fail(new EngineException(ErrorCode.CONNECTION_FAILED, afterwards, cause));
        }
    }

    void peerHeard(PeerHeard event) {
        log.debug("[{}] the broker at {} is heard again after {} ms of silence", logId, address, event.quietMillis());
        if (state != State.OPEN) {
            return;
        }
        try {
            events.brokerHeardAgain();
        } catch (RuntimeException e) {
            log.error("[{}] brokerHeardAgain listener threw", logId, e);
        }
    }

    /** Best effort: the connection is about to close, so the broker may never read it. */
    void tellBroker(ErrorFrame error) {
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
            case CLOSED, FAILED -> { } // already over
        }
    }

    private void startClose() {
        switch (state) {
            case CONNECTING -> failConnect(attempt.cannotConnect("the connection was closed during the handshake",
                    ErrorCode.ILLEGAL_STATE, null));
            case OPEN -> {
                // completions and hand-out notices of this turn go out before Disconnect: a notice dropped here would
                // let the broker count a message the application has as unseen
                sessions.all().forEach(ClientSession::flushSettlements);
                state = State.CLOSING;
                log.debug("[{}] closing", logId);
                EngineException closedCause = EngineException.connectionClosed();
                sends.drainAll();
                sessions.all().forEach(s -> s.end(closedCause, false));
                control.disconnect().whenComplete((v, e) -> {
                    if (e != null) {
                        log.debug("[{}] no clean Disconnect ({}); closing the socket anyway", logId, e.getMessage());
                    }
                    finishClose();
                });
            }
            case CLOSING, CLOSED, FAILED -> closed.complete(null);
        }
    }

    private void finishClose() {
        if (state != State.CLOSING) {
            return;
        }
        state = State.CLOSED;
        pending.failAll(EngineException.connectionClosed());
        channel.close().addListener(done -> {
            log.debug("[{}] closed", logId);
            closed.complete(null);
        });
    }

    // ---- services for sessions (event loop) ----

    /** Runs a task on the connection's event loop after a delay. */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The broker's clock as learnt at the handshake, to read its lock times on the client's clock. */
    BrokerClock brokerClock() {
        return brokerClock;
    }

    /** How long after delivery the engine keeps renewing a lock by itself; 0 = never. */
    long maxLockRenewalMillis() {
        return options.maxLockRenewalMillis();
    }

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
            return EngineException.connectionFailed(failure);
        }
        return EngineException.connectionClosed();
    }

    /** Registers and writes a request; see {@link TunnelWriter#request}. */
    void request(int ch, String what, LongFunction<Frame> frameFor, Reply reply) {
        writer.request(ch, what, frameFor, reply);
    }

    /** Writes a frame that gets no answer; see {@link TunnelWriter#oneWay}. */
    void writeOneWay(Frame frame, CompletableFuture<Void> written) {
        writer.oneWay(frame, written);
    }

    /** Writes a frame that gets no answer: null once written, else why not; see {@link TunnelWriter#oneWay(Frame)}. */
    EngineException writeOneWay(Frame frame) {
        return writer.oneWay(frame);
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

    @Override
    public String toString() {
        return "TunnelClientConnection[" + logId + " to tmq://" + address + ", " + state + "]";
    }
}
