package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CheckAccess;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CommitQuery;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.frame.SettleFailed;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.TemporaryDestinations;
import io.tunnelmq.server.queue.OwnerGone;
import io.tunnelmq.server.security.UserAccess;
import io.tunnelmq.server.store.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The broker's state for one client connection once the handshake is done: its sessions by channel and its
 * send window. Handles the session-channel frames the network layer routes to it and answers every request
 * with exactly one {@link Ok} (carrying the free receive-buffer bytes) or {@link ErrorFrame} — a lock renewal with
 * {@link LocksRenewed}; a send without a request id is answered only when refused ({@link SendFailed}). Sends are
 * taken by {@link SendIntake}. Confined to the connection's event loop.
 */
public final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final String connectionId;
    /** The JMS client ID, or null. */
    private final String clientId;
    private final long lockDurationMillis;
    private final BrokerContext broker;
    private final FrameSink sink;
    private final ReceiveWindow window;
    private final SendIntake sends;
    /** By channel; most connections hold one session, and a broker may hold 10,000 of them (see {@link IntKeyed}). */
    private final IntKeyed<ServerSession> sessions = new IntKeyed<>();
    private final UserAccess access;
    private final DestinationAccess destinationAccess;
    private final ConnectionQuota quota;
    private boolean closed;

    /**
     * @param clientId           the connection's JMS client ID (from its Hello), or null
     * @param lockDurationMillis the lock duration the client asked for in its Hello, 0 for each queue's setting
     * @param access             what the connection's user may do: every Send, CreateConsumer, Browse,
     *                           CreateTemporary and CheckAccess is checked here first
     * @param unansweredSends    the client sends unanswered sends and reads how far a WindowUpdate reaches
     *                           ({@code Hello.OPTION_UNANSWERED_SENDS})
     */
    public ClientConnection(String connectionId, String clientId, long lockDurationMillis, BrokerContext broker,
                            FrameSink sink, UserAccess access, boolean unansweredSends) {
        this.access = Objects.requireNonNull(access, "access");
        this.clientId = clientId;
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
        this.lockDurationMillis = lockDurationMillis;
        this.broker = Objects.requireNonNull(broker, "broker");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.window = new ReceiveWindow(connectionId, broker.receiveBufferBytes(), broker.memory(),
                broker.destinations().disk(), sink, broker.counters()::sendWindowStalled, unansweredSends);
        this.destinationAccess = new DestinationAccess(access, broker.destinations());
        this.quota = new ConnectionQuota(broker.limits(), connectionId);
        this.sends = new SendIntake(window, new MessageSizeLimit(broker.maxFrameSize()), destinationAccess,
                broker.destinations(), sink);
    }

    public String connectionId() {
        return connectionId;
    }

    /** The free receive-buffer bytes for the Welcome: the client may send that much. */
    public long welcomeFreeBytes() {
        return window.reportWelcome();
    }

    /** The free receive-buffer bytes for an answer on channel 0 (the Ok of a Disconnect). */
    public long reportFreeBytes() {
        return window.report();
    }

    /** Number of open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Number of open consumers over all its sessions. On the connection's event loop. */
    public int consumerCount() {
        int sum = 0;
        for (ServerSession session : sessions.values()) {
            sum += session.consumerCount();
        }
        return sum;
    }

    /**
     * Handles a frame of a session channel: OpenSession, CloseSession, CreateConsumer, CloseConsumer, Credit,
     * Unsubscribe, Browse, CreateTemporary, DeleteTemporary and CheckAccess (channel 0),
     * Send, Settle, Commit, CommitQuery or Rollback (the network layer deals with every other type). Frames after
     * {@link #close} are ignored.
     */
    public void onFrame(Frame frame) {
        if (closed) {
            return;
        }
        try {
            handle(frame);
        } catch (BrokerException e) {
            refuse(frame, e);
        } catch (RuntimeException e) {
            log.error("connection {} channel {}: failed to handle {}", connectionId, frame.channel(), frame.type(), e);
            refuse(frame, new BrokerException(ErrorCode.INTERNAL_ERROR, "the broker failed to handle " + frame.type()
                    + ": " + e));
        }
    }

    /**
     * Closes every session: their locks are given back ({@code how}: whether the connection fell silent first),
     * staged work dropped. Idempotent.
     *
     * @return completes once the named subscriptions of its consumers are given back in a shared store (never fails)
     */
    public CompletableFuture<Void> close(OwnerGone how) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        List<CompletableFuture<Void>> given = new ArrayList<>();
        for (ServerSession session : sessions.values()) {
            given.add(session.close(how));
            broker.counters().sessionClosed();
        }
        sessions.clear();
        int temporaries = broker.destinations().temporaries().deleteAllOf(connectionId);
        if (temporaries > 0) {
            log.debug("connection {}: deleted its {} temporary destination(s)", connectionId, temporaries);
        }
        window.close();
        return CompletableFuture.allOf(given.toArray(CompletableFuture[]::new));
    }

    private void handle(Frame frame) {
        if (frame instanceof OpenSession open) {
            openSession(open);
            return;
        }
        if (frame instanceof CheckAccess check) {
            TemporaryDestinations.checkNamed(check.destination(), "use");
            destinationAccess.require(check.permission(), check.destination());
            ok(Protocol.CONTROL_CHANNEL, check.requestId());
            return;
        }
        if (frame instanceof CreateTemporary create) {
            access.require(Permission.CREATE, create.destination());
            CompletableFuture<Void> made = broker.destinations().temporaries().create(create.destination(),
                    connectionId, quota::requireRoomForTemporary);
            // over a shared store: answered once other brokers can send to it
            whenDone(made, create, v -> ok(Protocol.CONTROL_CHANNEL, create.requestId()), "cannot create "
                    + create.destination() + ": the shared store could not record it");
            return;
        }
        if (frame instanceof DeleteTemporary delete) {
            broker.destinations().temporaries().delete(delete.destination(), connectionId);
            ok(Protocol.CONTROL_CHANNEL, delete.requestId());
            return;
        }
        if (frame instanceof Send send) {
            // counted in the window even without a session: the client counts every send it wrote
            sends.take(sessions.get(send.channel()), send, ok -> answering(send, ok));
            return;
        }
        ServerSession session = sessions.get(frame.channel());
        if (session == null) {
            throw noSession(frame.channel());
        }
        if (frame instanceof CloseSession close) {
            sessions.remove(close.channel());
            Consumer<BrokerException> answer = answering(close, () -> ok(close.channel(), close.requestId()));
            session.close(() -> answer.accept(null));
            broker.counters().sessionClosed();
        } else if (frame instanceof CreateConsumer create) {
            quota.requireRoomForConsumer(consumerCount());
            destinationAccess.requireConsumer(create, clientId);
            session.openConsumer(create, consumer -> {
                ok(create.channel(), create.requestId());
                session.start(consumer, create.credit(), create.creditBytes());
            }, refusal -> refuse(create, refusal));
        } else if (frame instanceof CloseConsumer close) {
            whenDone(session.closeConsumer(close.consumerId()), close, v -> ok(close.channel(), close.requestId()),
                    "closed");
        } else if (frame instanceof Credit credit) {
            session.credit(credit);
        } else if (frame instanceof Settle settle && settle.outcome() == SettleOutcome.RENEW) {
            long[] lockedUntil = session.renew(settle);
            if (settle.requestId() != 0) {
                answer(new LocksRenewed(settle.channel(), settle.requestId(), window.report(), lockedUntil));
            }
        } else if (frame instanceof Settle settle) {
            CompletableFuture<Void> write = session.settle(settle);
            if (settle.requestId() != 0) {
                whenDone(write, settle, v -> ok(settle.channel(), settle.requestId()), "the messages were completed,"
                        + " but the broker could not record it durably; they may be delivered again after a broker"
                        + " restart");
            }
        } else if (frame instanceof Unsubscribe unsubscribe) {
            destinationAccess.requireUnsubscribe(unsubscribe.subscriptionName(), clientId);
            whenDone(session.unsubscribe(unsubscribe.subscriptionName()), unsubscribe,
                    v -> ok(unsubscribe.channel(), unsubscribe.requestId()), "cannot unsubscribe '"
                            + unsubscribe.subscriptionName() + "': the shared store could not remove it");
        } else if (frame instanceof Browse browse) {
            access.require(Permission.BROWSE, browse.destination());
            whenDone(QueueBrowsing.page(browse, broker.destinations(), broker.maxFrameSize()), browse,
                    page -> answerBrowse(browse, page), "cannot browse " + browse.destination()
                            + ": the shared store could not be read");
        } else if (frame instanceof Commit commit) {
            session.commit(commit.transactionId(), answering(commit, () -> ok(commit.channel(), commit.requestId())));
        } else if (frame instanceof CommitQuery query) {
            answerQuery(query);
        } else if (frame instanceof Rollback rollback) {
            session.rollback();
            ok(rollback.channel(), rollback.requestId());
        } else {
            throw new IllegalArgumentException(frame.type() + " frames are not handled by a client connection");
        }
    }

    /** The refusal of a frame for a channel without an open session. */
    static BrokerException noSession(int channel) {
        return new BrokerException(ErrorCode.UNKNOWN_CHANNEL, "channel " + channel
                + " has no open session (never opened, or already closed); open one with OpenSession first");
    }

    /** The connection's socket takes writes again: its consumers may get deliveries. */
    public void writable() {
        if (!closed) {
            sessions.forEach(ServerSession::resumeConsumers);
        }
    }

    /** An answer to a request that may come later: {@code ok} on success, else the refusal as an error frame. */
    private Consumer<BrokerException> answering(Frame request, Runnable ok) {
        return refusal -> {
            if (closed) {
                return;
            }
            if (refusal == null) {
                ok.run();
            } else {
                refuse(request, refusal);
            }
        };
    }

    /**
     * Answers whether a commit was applied, once that is final. It is final here because a client asks only on a
     * new connection that resumed the one the commit went on: the broker ended that connection, on its own event
     * loop, before this connection read anything, and a connection starts its commit's store write (recording the
     * transaction id) on the loop that read the Commit, at once. So the commit was either read by then, and the
     * duplicate window knows it (the answer waits for its write), or it will never be read.
     */
    private void answerQuery(CommitQuery query) {
        Consumer<BrokerException> answer = answering(query, () -> ok(query.channel(), query.requestId()));
        broker.destinations().duplicates().committed(query.transactionId()).thenAccept(outcome -> sink.execute(() ->
                answer.accept(switch (outcome) {
                    case COMMITTED -> null;
                    case NOT_COMMITTED -> new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction "
                            + query.transactionId().sequence() + " of session " + query.transactionId().producerId()
                            + " was not committed: the broker never applied it");
                    case UNKNOWN -> new BrokerException(ErrorCode.ILLEGAL_STATE, "the broker cannot tell whether"
                            + " transaction " + query.transactionId().sequence() + " of session "
                            + query.transactionId().producerId() + " was committed: it no longer remembers that"
                            + " session (too many producers and sessions since)");
                })));
    }

    /**
     * Answers {@code request} with {@code done} once {@code pending} (null: nothing) completes, on the event loop, at
     * once if it has: a refusal it fails with as it comes, another failure as {@code failure} and why.
     */
    private <T> void whenDone(CompletableFuture<T> pending, Frame request, Consumer<T> done, String failure) {
        if (pending == null || pending.isDone() && !pending.isCompletedExceptionally()) {
            done.accept(pending == null ? null : pending.join());
            return;
        }
        pending.whenComplete((v, e) -> sink.execute(() -> {
            if (!closed) {
                if (e == null) {
                    done.accept(v);
                } else {
                    refuse(request, refusal(e, failure));
                }
            }
        }));
    }

    private static BrokerException refusal(Throwable e, String failure) {
        Throwable cause = Failures.cause(e);
        return cause instanceof BrokerException refused ? refused : new BrokerException(ErrorCode.STORE_FAILURE,
                failure + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
    }

    private void openSession(OpenSession open) {
        if (sessions.containsKey(open.channel())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "channel " + open.channel()
                    + " already has an open session; open the new session on an unused channel");
        }
        quota.requireRoomForSession(sessions.size());
        sessions.put(open.channel(), new ServerSession(open.channel(), open.transacted(), connectionId, clientId,
                lockDurationMillis, broker, sink));
        broker.counters().sessionOpened();
        log.debug("connection {}: opened {}session on channel {}", connectionId, open.transacted() ? "transacted " : "",
                open.channel());
        ok(open.channel(), open.requestId());
    }

    private void ok(int channel, long requestId) {
        answer(new Ok(channel, requestId, window.report()));
    }

    /**
     * Sends the answer to a request behind the deliveries already handed to this connection's event loop (queues
     * hand deliveries over as loop tasks). So every message the broker delivered before it handled a request
     * reaches the client before the answer — which lets the client release, in queue order, what was still on
     * its way when a recover or rollback was answered.
     */
    private void answer(Frame frame) {
        sink.execute(() -> sink.send(frame));
    }

    /** The one place a refusal becomes an error frame (with the lock tokens a failed settle could not settle). */
    private void answerBrowse(Browse browse, QueueBrowsing.Page page) {
        answer(new Browsed(browse.channel(), browse.requestId(), window.report(), page.messages(), page.last(),
                page.cursor()));
    }

    private void refuse(Frame frame, BrokerException refusal) {
        ErrorCode code = refusal.code();
        String message = refusal.getMessage();
        if (code == ErrorCode.NOT_AUTHORIZED) {
            broker.counters().accessDenied();
        }
        long requestId = Requests.requestId(frame);
        if (requestId != 0) {
            answer(new ErrorFrame(frame.channel(), requestId, code, message, refusal.lockTokens()));
        } else if (frame instanceof Send send) {
            // nobody waits for it, but the client reports it to the application at the session's next send
            answer(new SendFailed(send.channel(), code, send.message().messageId(), message));
        } else if (frame instanceof Settle settle && refusal.lockTokens().length > 0) {
            // nobody waits for it, but the client reports lost locks of acknowledged messages at its next acknowledge
            answer(new SettleFailed(settle.channel(), settle.outcome(), code, message, refusal.lockTokens()));
        } else {
            log.warn("connection {} channel {}: {} refused ({}), no answer wanted: {}", connectionId, frame.channel(),
                    frame.type(), code, message);
        }
    }
}
