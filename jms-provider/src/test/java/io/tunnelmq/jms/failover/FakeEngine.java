package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.BrowsePage;
import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted inner engine for the failover layer's tests: connects to any address not marked down, answers every
 * request at once (on the caller's thread), keeps sends pending until the test confirms them, records every call in
 * one log ({@code "link 2: openSession"}), and fails a link on demand as the real engine does: pending futures
 * first, then the consumers' listeners, then {@code connectionFailed}.
 */
final class FakeEngine implements EngineFactory {
    final List<String> log = new CopyOnWriteArrayList<>();
    /** host:port of every connect, with its resume id: "h:1 resume=c1". */
    final List<String> connects = new CopyOnWriteArrayList<>();
    /** The resume key of every connect, in the order of {@link #connects}. */
    final List<String> resumeKeys = new CopyOnWriteArrayList<>();
    final List<FakeLink> links = new CopyOnWriteArrayList<>();
    final Set<String> down = ConcurrentHashMap.newKeySet();
    volatile List<String> peers = List.of();
    /** Broker error to refuse createConsumer with, or null. */
    volatile ErrorCode refuseConsumers;
    /** Requests get no answer (until their link fails) while true. */
    volatile boolean holdAnswers;
    /** The store id of the broker at an address (none: an older broker). */
    final Map<String, String> stores = new ConcurrentHashMap<>();
    /** Whether a commit with a transaction id is applied (its id remembered) even when its answer is held. */
    volatile boolean applyCommits = true;
    /** The transaction ids of the commits "the broker" applied. */
    final Set<ProducerStamp> applied = ConcurrentHashMap.newKeySet();
    /** Commit queries get no answer (until their link fails) while true. */
    volatile boolean holdQueries;
    /** Broker error to answer commit queries with (it cannot tell), or null. */
    volatile ErrorCode refuseQueries;

    @Override
    public CompletableFuture<EngineConnection> connect(EngineOptions options, ConnectionEvents events) {
        connects.add(options.address() + " resume=" + options.resumeConnectionId());
        resumeKeys.add(String.valueOf(options.resumeKey()));
        if (down.contains(options.address())) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.CONNECTION_FAILED,
                    "cannot connect to TunnelMQ broker at tmq://" + options.address() + ": connection refused"));
        }
        FakeLink link = new FakeLink(links.size() + 1, options.address(), events);
        links.add(link);
        return CompletableFuture.completedFuture(link);
    }

    FakeLink link(int number) {
        return links.get(number - 1);
    }

    FakeLink last() {
        return links.get(links.size() - 1);
    }

    static WireMessage message(String id, boolean persistent) {
        return new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, persistent, 4, 0, 0, Map.of(),
                BodyType.TEXT, new byte[0]);
    }

    static EngineException lost() {
        return new EngineException(ErrorCode.CONNECTION_FAILED, "the broker closed the connection");
    }

    /** One inner connection. */
    final class FakeLink implements EngineConnection {
        final int number;
        final String address;
        final ConnectionEvents events;
        final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        FakeLink(int number, String address, ConnectionEvents events) {
            this.number = number;
            this.address = address;
            this.events = events;
        }

        void record(String call) {
            log.add("link " + number + ": " + call);
        }

        /** Fails as the engine does when its socket breaks. */
        void fail() {
            closed = true;
            EngineException cause = lost();
            pending.forEach(f -> f.completeExceptionally(cause));
            sessions.forEach(s -> s.consumers.forEach(c -> c.listener.onClosed(cause)));
            events.connectionFailed(cause);
        }

        <T> CompletableFuture<T> answer(T value) {
            if (closed) {
                return CompletableFuture.failedFuture(new EngineException(ErrorCode.ILLEGAL_STATE,
                        "connection is closed"));
            }
            if (holdAnswers) {
                CompletableFuture<T> held = new CompletableFuture<>();
                pending.add(held);
                return held;
            }
            return CompletableFuture.completedFuture(value);
        }

        @Override
        public String connectionId() {
            return "c" + number;
        }

        @Override
        public String brokerVersion() {
            return "fake-" + number;
        }

        @Override
        public int protocolVersion() {
            return 1;
        }

        @Override
        public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
            record("openSession");
            FakeSession s = new FakeSession(this, sessions.size() + 1);
            sessions.add(s);
            return answer(s);
        }

        @Override
        public CompletableFuture<Void> createTemporary(WireDestination destination) {
            record("createTemporary " + destination.name());
            return answer(null);
        }

        @Override
        public CompletableFuture<Void> deleteTemporary(WireDestination destination) {
            record("deleteTemporary " + destination.name());
            return answer(null);
        }

        @Override
        public CompletableFuture<Void> close() {
            record("close");
            closed = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public List<String> peers() {
            return peers;
        }

        @Override
        public String storeId() {
            return stores.get(address);
        }
    }

    /** One inner session. */
    final class FakeSession implements EngineSession {
        final FakeLink link;
        final int channel;
        final List<FakeConsumer> consumers = new CopyOnWriteArrayList<>();
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        FakeSession(FakeLink link, int channel) {
            this.link = link;
            this.channel = channel;
        }

        @Override
        public int channel() {
            return channel;
        }

        @Override
        public SendTicket send(WireMessage message, ProducerStamp stamp) {
            link.record("send " + message.messageId() + (stamp == null ? "" : " stamp " + stamp.sequence()));
            SendTicket t = new SendTicket(new CompletableFuture<>(), new CompletableFuture<>());
            if (link.closed) {
                EngineException refused = new EngineException(ErrorCode.ILLEGAL_STATE, "connection is closed");
                t.written().completeExceptionally(refused);
                t.confirmed().completeExceptionally(refused);
            } else {
                link.pending.add(t.written());
                link.pending.add(t.confirmed());
            }
            sent.add(new Sent(message, stamp, t));
            return t;
        }

        @Override
        public CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener,
                                                                boolean creditHeld) {
            link.record("createConsumer seen=" + spec.seenMessageIds() + " creditHeld=" + creditHeld);
            ErrorCode refuse = refuseConsumers;
            if (refuse != null) {
                return CompletableFuture.failedFuture(new EngineException(refuse, "subscription in use"));
            }
            FakeConsumer c = new FakeConsumer(link, 100 + consumers.size(), listener);
            consumers.add(c);
            return link.answer(c);
        }

        @Override
        public CompletableFuture<Void> settle(LockOutcome outcome, long[] lockTokens, String reason,
                                              boolean awaitReply) {
            link.record("settle " + outcome + " " + Arrays.toString(lockTokens));
            return link.answer(null);
        }

        @Override
        public void handedOut(long lockToken) {
            link.record("handedOut " + lockToken);
        }

        /** What the next takeFailedCompletions returns, as a broker's SettleFailed would leave it (inner tokens). */
        volatile EngineException failedCompletions;

        @Override
        public EngineException takeFailedCompletions() {
            EngineException taken = failedCompletions;
            failedCompletions = null;
            return taken;
        }

        @Override
        public CompletableFuture<long[]> renewLocks(long[] lockTokens) {
            link.record("renewLocks " + Arrays.toString(lockTokens));
            long[] until = new long[lockTokens.length];
            Arrays.fill(until, 777);
            return link.answer(until);
        }

        @Override
        public long lockedUntil(long lockToken) {
            return 555;
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String subscriptionName) {
            link.record("unsubscribe " + subscriptionName);
            return link.answer(null);
        }

        @Override
        public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, int offset,
                                                    int maxMessages) {
            link.record("browse");
            return link.answer(null);
        }

        @Override
        public CompletableFuture<Void> commit() {
            link.record("commit");
            return link.answer(null);
        }

        @Override
        public CompletableFuture<Void> commit(ProducerStamp transactionId) {
            if (link.storeId() == null) {
                return commit(); // as the real engine: no id for a broker that names no store
            }
            link.record("commit tx " + transactionId.sequence());
            if (!link.closed && applyCommits) {
                applied.add(transactionId);
            }
            return link.answer(null);
        }

        @Override
        public CompletableFuture<Boolean> committed(ProducerStamp transactionId) {
            link.record("committed? tx " + transactionId.sequence());
            ErrorCode refuse = refuseQueries;
            if (refuse != null) {
                return CompletableFuture.failedFuture(new EngineException(refuse, "the broker cannot tell"));
            }
            if (holdQueries && !link.closed) {
                CompletableFuture<Boolean> held = new CompletableFuture<>();
                link.pending.add(held);
                return held;
            }
            return link.answer(applied.contains(transactionId));
        }

        @Override
        public CompletableFuture<Void> rollback() {
            link.record("rollback");
            return link.answer(null);
        }

        @Override
        public CompletableFuture<Void> close() {
            link.record("closeSession");
            return link.answer(null);
        }
    }

    /** A send as the inner session got it; the test completes its ticket. */
    record Sent(WireMessage message, ProducerStamp stamp, SendTicket ticket) {
        void written() {
            ticket.written().complete(null);
        }

        void confirmed() {
            ticket.written().complete(null);
            ticket.confirmed().complete(null);
        }
    }

    /** One inner consumer. */
    final class FakeConsumer implements EngineConsumer {
        final FakeLink link;
        final int id;
        final DeliveryListener listener;
        final List<String> calls = new ArrayList<>();

        FakeConsumer(FakeLink link, int id, DeliveryListener listener) {
            this.link = link;
            this.id = id;
            this.listener = listener;
        }

        void deliver(long token, String messageId) {
            listener.onDelivery(new Delivery(id, token, 1, 0, message(messageId, true)));
        }

        @Override
        public int consumerId() {
            return id;
        }

        @Override
        public void taken(int count, long bytes) {
        }

        @Override
        public void pull() {
            link.record("pull");
        }

        @Override
        public void startDelivery() {
            link.record("startDelivery");
        }

        @Override
        public CompletableFuture<Void> stopDelivery() {
            link.record("stopDelivery");
            return link.answer(null);
        }

        @Override
        public void declined() {
        }

        @Override
        public void waiting() {
        }

        @Override
        public CompletableFuture<Void> close(long[] unseenLockTokens) {
            link.record("closeConsumer " + Arrays.toString(unseenLockTokens));
            return link.answer(null);
        }
    }
}
