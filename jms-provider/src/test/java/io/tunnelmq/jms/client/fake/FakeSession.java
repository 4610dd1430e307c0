package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.engine.BrowsePage;
import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.FailedCompletions;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fake session channel: staging for transactions, lock ownership, consumers. State only on the loop. */
final class FakeSession implements EngineSession {
    private final FailedCompletions failedCompletions = new FailedCompletions();
    private static final Pattern SELECTOR = Pattern.compile("\\s*(\\w+)\\s*=\\s*'([^']*)'\\s*");

    final FakeBroker broker;
    final FakeConnection connection;
    final int channel;
    final boolean transacted;
    final Map<Integer, FakeConsumer> consumers = new LinkedHashMap<>();
    final Set<Long> locks = new LinkedHashSet<>();
    final Set<Long> expired = new HashSet<>();
    /** Expiry of the locks held, readable from any thread as the engine's is. */
    final Map<Long, Long> lockExpiry = new ConcurrentHashMap<>();
    final List<WireMessage> staged = new ArrayList<>();
    final Set<Long> heldCompletions = new LinkedHashSet<>();
    /** Locks lost when the connection was interrupted: settling them fails saying so. */
    final Set<Long> lostWithConnection = new HashSet<>();
    /** The connection was interrupted during the current transaction: its commit rolls back. */
    boolean transactionLost;
    boolean closed;
    private int nextConsumerId = 1;

    FakeSession(FakeBroker broker, FakeConnection connection, int channel, boolean transacted) {
        this.broker = broker;
        this.connection = connection;
        this.channel = channel;
        this.transacted = transacted;
    }

    @Override
    public int channel() {
        return channel;
    }

    @Override
    public SendTicket send(WireMessage message, ProducerStamp stamp) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        broker.run(() -> {
            try {
                requireOpen();
                broker.check("send");
            } catch (EngineException e) {
                written.completeExceptionally(e);
                confirmed.completeExceptionally(e);
                return;
            }
            written.complete(null);
            ErrorCode confirmFailure = broker.failNext.remove("confirm");
            if (confirmFailure != null) {
                confirmed.completeExceptionally(new EngineException(confirmFailure, "the broker refused the message"));
                return;
            }
            if (transacted) {
                staged.add(message);
            } else {
                broker.route(message, connection);
            }
            if (broker.holdConfirmations) {
                broker.heldConfirmations.add(() -> {
                    ErrorCode late = broker.failNext.remove("held confirm"); // refused after all, as it is let through
                    if (late == null) {
                        confirmed.complete(null);
                    } else {
                        confirmed.completeExceptionally(new EngineException(late, "the broker refused it after all"));
                    }
                });
            } else {
                confirmed.complete(null);
            }
        });
        return new SendTicket(written, confirmed);
    }

    @Override
    public CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener,
                                                           boolean creditHeld) {
        return broker.call(() -> {
            requireOpen();
            broker.check("createConsumer");
            String selectorProperty = null;
            String selectorValue = null;
            if (spec.selector() != null) {
                Matcher m = SELECTOR.matcher(spec.selector());
                if (!m.matches()) {
                    throw new EngineException(ErrorCode.INVALID_SELECTOR, "selector '" + spec.selector()
                            + "' is invalid: the fake broker understands only name = 'value'");
                }
                selectorProperty = m.group(1);
                selectorValue = m.group(2);
            }
            FakeConsumer c = new FakeConsumer(this, nextConsumerId++, spec, listener, selectorProperty, selectorValue,
                    creditHeld);
            consumers.put(c.consumerId, c);
            c.attach();
            return c;
        });
    }

    @Override
    public CompletableFuture<Void> settle(LockOutcome outcome, long[] lockTokens, String reason,
                                          boolean awaitReply) {
        CompletableFuture<Void> answer = broker.run(() -> {
            requireOpen();
            broker.check("settle");
            broker.log.add("settle " + outcome + " " + Arrays.toString(lockTokens));
            ErrorCode firstCode = null;
            String firstMessage = null;
            List<Long> failed = new ArrayList<>();
            Set<FakeQueue> touched = new LinkedHashSet<>();
            for (long token : lockTokens) {
                if (lostWithConnection.remove(token)) {
                    failed.add(token);
                    if (firstCode == null) {
                        firstCode = ErrorCode.UNKNOWN_LOCK_TOKEN;
                        firstMessage = "the connection to the broker was lost, and with it the lock " + token;
                    }
                    continue;
                }
                if (expired.remove(token)) {
                    failed.add(token);
                    if (firstCode == null) {
                        firstCode = ErrorCode.LOCK_EXPIRED;
                        firstMessage = "the lock " + token + " expired before the settlement arrived";
                    }
                    continue;
                }
                FakeQueue.Entry e = broker.locks.get(token);
                if (e == null || e.lockedBy != this) {
                    failed.add(token);
                    if (firstCode == null) {
                        firstCode = ErrorCode.UNKNOWN_LOCK_TOKEN;
                        firstMessage = "lock token " + token + " is not held by this session";
                    }
                    continue;
                }
                touched.add(e.queue);
                switch (outcome) {
                    case COMPLETE -> {
                        if (transacted) {
                            heldCompletions.add(token);
                        } else {
                            e.queue.complete(e);
                        }
                    }
                    case ABANDON -> e.queue.abandon(e);
                    case RELEASE -> e.queue.release(e);
                    case DEAD_LETTER -> e.queue.deadLetter(e, reason);
                }
            }
            touched.forEach(FakeQueue::dispatch);
            if (firstCode != null) {
                // like the broker's ErrorFrame: every token it could not settle
                throw new EngineException(firstCode, firstMessage, failed.stream().mapToLong(Long::longValue).toArray());
            }
        });
        if (awaitReply) {
            return answer;
        }
        // fire-and-forget: as with request id 0, a failed completion is reported later (SettleFailed), not answered
        return answer.handle((v, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            if (outcome == LockOutcome.COMPLETE && cause instanceof EngineException failed) {
                failedCompletions.add(failed);
            }
            return null;
        });
    }

    @Override
    public EngineException takeFailedCompletions() {
        return failedCompletions.take();
    }

    @Override
    public void handedOut(long lockToken) {
        broker.run(() -> {
            if (!closed && locks.contains(lockToken)) {
                broker.log.add("taken " + lockToken);
            }
        });
    }

    @Override
    public void dropped(long lockToken) {
        broker.run(() -> broker.log.add("dropped " + lockToken));
    }

    @Override
    public CompletableFuture<long[]> renewLocks(long[] lockTokens) {
        long[] renewed = new long[lockTokens.length];
        return broker.run(() -> {
            requireOpen();
            broker.check("renew");
            broker.log.add("renew " + Arrays.toString(lockTokens));
            for (int i = 0; i < lockTokens.length; i++) {
                FakeQueue.Entry e = broker.locks.get(lockTokens[i]);
                if (e != null && e.lockedBy == this) {
                    renewed[i] = broker.lockedUntil();
                    lockExpiry.put(lockTokens[i], renewed[i]);
                }
            }
        }).thenApply(v -> renewed);
    }

    @Override
    public long lockedUntil(long lockToken) {
        return lockExpiry.getOrDefault(lockToken, 0L);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String subscriptionName) {
        return broker.run(() -> {
            requireOpen();
            broker.check("unsubscribe");
            broker.log.add("unsubscribe " + subscriptionName);
        });
    }

    @Override
    public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, int offset, int maxMessages) {
        return broker.call(() -> {
            requireOpen();
            broker.check("browse");
            FakeQueue q = broker.queues.get(queue.name());
            List<WireMessage> all = q == null ? List.of() : q.messages();
            int from = Math.min(offset, all.size());
            int to = Math.min(all.size(), from + maxMessages);
            return new BrowsePage(all.subList(from, to), to == all.size());
        });
    }

    @Override
    public CompletableFuture<Void> commit() {
        return broker.run(() -> {
            requireOpen();
            if (transactionLost) {
                transactionLost = false;
                rollbackWork();
                throw new EngineException(ErrorCode.TRANSACTION_ROLLED_BACK, "the connection to the broker was lost"
                        + " during the transaction, which was rolled back");
            }
            ErrorCode injected = broker.failNext.remove("commit");
            if (injected != null) {
                rollbackWork();
                throw new EngineException(injected, "injected: the commit failed");
            }
            broker.log.add("commit " + staged.size() + " sends, " + heldCompletions.size() + " completions");
            List<WireMessage> sends = new ArrayList<>(staged);
            staged.clear();
            for (long token : heldCompletions) {
                FakeQueue.Entry e = broker.locks.get(token);
                if (e != null && e.lockedBy == this) {
                    e.queue.complete(e);
                }
            }
            heldCompletions.clear();
            sends.forEach(m -> broker.route(m, connection));
        });
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return broker.run(() -> {
            requireOpen();
            broker.log.add("rollback " + staged.size() + " sends, " + heldCompletions.size() + " completions");
            transactionLost = false;
            rollbackWork();
        });
    }

    /** On the loop: the connection is interrupted; every lock goes back to its queue, consumers hear of it. */
    void interrupt() {
        Set<FakeQueue> touched = new LinkedHashSet<>();
        for (long token : new ArrayList<>(locks)) {
            FakeQueue.Entry e = broker.locks.get(token);
            if (e != null) {
                e.queue.abandon(e);
                touched.add(e.queue);
            }
            lostWithConnection.add(token);
        }
        if (transacted && (!staged.isEmpty() || !heldCompletions.isEmpty() || !lostWithConnection.isEmpty())) {
            transactionLost = true;
        }
        staged.clear();
        heldCompletions.clear();
        for (FakeConsumer c : consumers.values()) {
            c.credit = 0;
            c.listener.onInterrupted();
        }
        touched.forEach(FakeQueue::dispatch);
    }

    /** On the loop: the connection is restored; consumers get their credit again. */
    void restore() {
        for (FakeConsumer c : consumers.values()) {
            c.restore();
        }
    }

    private void rollbackWork() {
        staged.clear();
        Set<FakeQueue> touched = new LinkedHashSet<>();
        for (long token : heldCompletions) {
            FakeQueue.Entry e = broker.locks.get(token);
            if (e != null && e.lockedBy == this) {
                e.queue.abandon(e);
                touched.add(e.queue);
            }
        }
        heldCompletions.clear();
        touched.forEach(FakeQueue::dispatch);
    }

    @Override
    public CompletableFuture<Void> close() {
        return broker.run(() -> {
            if (!closed) {
                end();
                broker.log.add("close session " + channel);
            }
        });
    }

    /** On the loop: the session is over; every lock it holds is abandoned. */
    void end() {
        closed = true;
        new ArrayList<>(consumers.values()).forEach(FakeConsumer::detach);
        staged.clear();
        heldCompletions.clear();
        Set<FakeQueue> touched = new LinkedHashSet<>();
        for (long token : new ArrayList<>(locks)) {
            FakeQueue.Entry e = broker.locks.get(token);
            if (e != null) {
                e.queue.abandon(e);
                touched.add(e.queue);
            }
        }
        connection.sessions.remove(this);
        touched.forEach(FakeQueue::dispatch);
    }

    void requireOpen() {
        connection.requireOpen();
        if (closed) {
            throw new EngineException(ErrorCode.UNKNOWN_CHANNEL, "session " + channel + " is closed");
        }
    }
}
