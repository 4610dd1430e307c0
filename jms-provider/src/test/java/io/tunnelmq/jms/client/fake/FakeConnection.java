package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A fake engine connection. State is touched only on the broker's loop. */
final class FakeConnection implements EngineConnection {
    final FakeBroker broker;
    final String connectionId;
    final String clientId;
    final ConnectionEvents events;
    final List<FakeSession> sessions = new ArrayList<>();
    volatile boolean closed;
    boolean interrupted;
    private int nextChannel = 1;

    FakeConnection(FakeBroker broker, String connectionId, EngineOptions options, ConnectionEvents events) {
        this.broker = broker;
        this.connectionId = connectionId;
        this.clientId = options.clientId();
        this.events = events;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public String brokerVersion() {
        return FakeBroker.VERSION;
    }

    @Override
    public int protocolVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        return broker.call(() -> {
            requireOpen();
            broker.check("openSession");
            FakeSession s = new FakeSession(broker, this, nextChannel++, transacted);
            sessions.add(s);
            return s;
        });
    }

    @Override
    public CompletableFuture<Void> createTemporary(WireDestination destination) {
        return broker.run(() -> {
            requireOpen();
            broker.check("createTemporary");
            broker.log.add("createTemporary " + destination.name());
        });
    }

    @Override
    public CompletableFuture<Void> deleteTemporary(WireDestination destination) {
        return broker.run(() -> {
            requireOpen();
            broker.check("deleteTemporary");
            broker.log.add("deleteTemporary " + destination.name());
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        return broker.run(() -> {
            if (closed) {
                return;
            }
            closed = true;
            for (FakeSession s : new ArrayList<>(sessions)) {
                s.end();
            }
            broker.log.add("disconnect " + connectionId);
        });
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** On the loop: the socket "broke". */
    void fail(EngineException cause) {
        if (closed) {
            return;
        }
        closed = true;
        for (FakeSession s : new ArrayList<>(sessions)) {
            s.consumers.values().forEach(c -> c.listener.onClosed(cause));
            s.end();
        }
        events.connectionFailed(cause);
    }

    /** On the loop: the failover layer lost the broker (see {@link FakeBroker#interruptConnections}). */
    void interrupt(EngineException cause) {
        if (closed || interrupted) {
            return;
        }
        interrupted = true;
        for (FakeSession s : sessions) {
            s.interrupt();
        }
        events.interrupted(cause);
    }

    /** On the loop: the failover layer is back, consumers re-created on the new connection. */
    void restore(String brokerAddress) {
        if (closed || !interrupted) {
            return;
        }
        interrupted = false;
        for (FakeSession s : sessions) {
            s.restore();
        }
        events.restored(brokerAddress);
    }

    void requireOpen() {
        if (closed) {
            throw new EngineException(ErrorCode.ILLEGAL_STATE, "connection " + connectionId + " is closed");
        }
    }
}
