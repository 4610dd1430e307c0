package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.integration.PeekLockModel.Msg;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tunnelmq.jms.Eventually.eventually;

/**
 * One history of {@link PeekLockModelTest} against the real client and broker: three connections (default
 * settings; prefetch 1; a short lock the client never renews), sessions with one consumer each, a producer, and the
 * {@link PeekLockModel} every step is checked against.
 */
final class PeekLockModelRun implements AutoCloseable {
    static final int CONNECTIONS = 3;
    /** Without reconnecting: the model's "drop" step is a lost connection the run replaces by new ones. */
    static final String[] OPTIONS = {"reconnect=false", "reconnect=false&prefetch=1",
            "reconnect=false&lockDuration=800&maxLockRenewal=0"};
    private static final int SHORT_LOCK = 2;
    private static final int[] MODES = {Session.CLIENT_ACKNOWLEDGE, Session.AUTO_ACKNOWLEDGE, Session.SESSION_TRANSACTED};

    private final BrokerClients clients;
    private final String[] queues;
    private final PeekLockModel model = new PeekLockModel();
    private final ModelSettlement settlement = new ModelSettlement(model);
    private final Connection[] connections = new Connection[CONNECTIONS];
    private final boolean[] started = new boolean[CONNECTIONS];
    private final List<ModelSession> sessions = new ArrayList<>();
    private Connection producerConnection;
    private Session producer;
    private int nextSession;
    private int sent;

    PeekLockModelRun(BrokerClients clients, String prefix) throws JMSException {
        this.clients = clients;
        this.queues = new String[] {prefix + ".q0", prefix + ".q1"};
        openConnections();
    }

    private void openConnections() throws JMSException {
        for (int i = 0; i < CONNECTIONS; i++) {
            connections[i] = clients.connect(OPTIONS[i]);
            started[i] = true;
        }
        producerConnection = clients.connect("reconnect=false");
        producer = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    void apply(ModelAction action) throws Exception {
        action.applyTo(this);
        checkDepths();
    }

    void send(int queue, int count) throws JMSException {
        send(queues[queue], count);
    }

    void open(int connection, int mode, int queue) throws JMSException {
        open(connection, MODES[mode], queues[queue]);
    }

    void receive(int session) throws Exception {
        withSession(session, this::receive);
    }

    void acknowledge(int session) throws Exception {
        withSession(session, settlement::acknowledge);
    }

    void recover(int session) throws Exception {
        withSession(session, settlement::recover);
    }

    void commit(int session) throws Exception {
        withSession(session, s -> settlement.commitOrRollback(s, true));
    }

    void rollback(int session) throws Exception {
        withSession(session, s -> settlement.commitOrRollback(s, false));
    }

    void closeConsumer(int session) throws Exception {
        withSession(session, this::closeConsumer);
    }

    void closeSession(int session) throws Exception {
        withSession(session, this::closeSession);
    }

    private interface SessionStep {
        void run(ModelSession s) throws Exception;
    }

    private void withSession(int index, SessionStep step) throws Exception {
        if (!sessions.isEmpty()) {
            step.run(sessions.get(index % sessions.size()));
        }
    }

    private void send(String queue, int count) throws JMSException {
        MessageProducer p = producer.createProducer(producer.createQueue(queue));
        for (int i = 0; i < count; i++) {
            String body = "m" + sent++;
            p.send(producer.createTextMessage(body)); // persistent: on the broker once send returns
            model.sent(body, queue);
        }
        p.close();
    }

    private void open(int connection, int mode, String queue) throws JMSException {
        if (sessions.size() >= 6) {
            return; // enough competition; more only slows the history down
        }
        Session s = connections[connection].createSession(mode == Session.SESSION_TRANSACTED, mode);
        sessions.add(new ModelSession(nextSession++, connection, mode, queue, s, s.createConsumer(s.createQueue(queue))));
    }

    private void receive(ModelSession s) throws JMSException {
        if (s.consumer == null) {
            return;
        }
        if (!started[s.connection]) {
            if (s.consumer.receive(50) != null) {
                throw new AssertionError("session " + s.id + " received a message while its connection was stopped");
            }
            return;
        }
        boolean expected = model.somethingUnseen(s.queue);
        long start = System.nanoTime();
        Message m = s.consumer.receive(expected ? BrokerClients.RECEIVE_MILLIS : 100);
        long waited = (System.nanoTime() - start) / 1_000_000;
        if (m == null) {
            if (expected) {
                throw new AssertionError("starved: session " + s.id + " got nothing in " + waited + " ms though the"
                        + " model has an unseen message on " + s.queue + ": " + model.all());
            }
            return;
        }
        if (expected && waited >= BrokerClients.PROMPT_MILLIS) {
            throw new AssertionError("session " + s.id + " blocked " + waited + " ms for a message (promise: 100 ms)");
        }
        Msg msg = model.get(BrokerClients.text(m));
        long now = System.currentTimeMillis();
        PeekLockModel.Hold expired = model.handed(msg, s.id, m.getJMSMessageID(), BrokerClients.count(m),
                m.getJMSRedelivered(), now, ((LockedMessage) m).getLockedUntil(), s.connection == SHORT_LOCK);
        if (expired != null) {
            for (ModelSession other : sessions) {
                if (other.id == expired.session()) {
                    (other == s ? other.reheld : other.lost).add(msg);
                }
            }
        }
        s.last = m;
        if (s.mode == Session.AUTO_ACKNOWLEDGE) {
            model.completed(msg, true);
            s.unsynced.add(msg);
        }
    }

    private void closeConsumer(ModelSession s) throws JMSException {
        if (s.consumer != null) {
            s.consumer.close(); // buffered messages go back unseen; what the session holds stays with it
            s.consumer = null;
            s.synced();
        }
    }

    private void closeSession(ModelSession s) throws JMSException {
        s.session.close();
        s.synced();
        sessions.remove(s);
        for (Msg m : model.heldBy(s.id)) {
            model.ended(m, false);
        }
    }

    void stopOrStart(int connection) throws JMSException {
        if (started[connection]) {
            connections[connection].stop();
        } else {
            connections[connection].start();
        }
        started[connection] = !started[connection];
    }

    void drop(boolean roundTripFirst) throws JMSException {
        Set<Integer> synced = new HashSet<>();
        if (roundTripFirst) {
            for (ModelSession s : sessions) {
                // a consumer opened and closed on the session's channel: the broker has processed what came before
                s.session.createConsumer(s.session.createQueue(queues[0] + ".sync")).close();
                synced.add(s.id);
                s.synced();
            }
        }
        clients.broker.dropConnections();
        for (ModelSession s : sessions) {
            for (Msg m : model.heldBy(s.id)) {
                model.ended(m, !synced.contains(s.id));
            }
            s.unsynced.forEach(model::maybeCompleted);
        }
        sessions.clear();
        closeQuietly();
        openConnections();
    }

    void awaitLockExpiry() throws InterruptedException {
        long until = 0;
        for (Msg m : model.all()) {
            if (m.state == PeekLockModel.State.HELD && m.hold.expirable()) {
                until = Math.max(until, m.hold.lockedUntil() + PeekLockModel.LOCK_MARGIN_MILLIS);
            }
        }
        long end = until;
        if (end > System.currentTimeMillis()) {
            eventually("the short locks ran out", Duration.ofSeconds(5), () -> System.currentTimeMillis() > end);
        }
    }

    /** No message lost, none extra: each queue's depth on the broker is what the model allows. */
    private void checkDepths() throws InterruptedException {
        for (String queue : queues) {
            long[] range = model.depthRange(queue);
            eventually("depth of " + queue + " in " + range[0] + ".." + range[1] + " (model: " + model.all() + ")",
                    Duration.ofSeconds(3), () -> {
                        long depth = clients.broker.queueDepth(queue);
                        return depth >= range[0] && depth <= range[1];
                    });
        }
    }

    /** Ends the history: closes everything (what was held comes back) and takes every message off both queues. */
    void drainAndCheck() throws Exception {
        for (ModelSession s : List.copyOf(sessions)) {
            closeSession(s);
        }
        closeQuietly();
        try (Connection c = clients.factory("").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : queues) {
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                ModelSession drain = new ModelSession(-1, 0, Session.AUTO_ACKNOWLEDGE, queue, s, consumer);
                started[0] = true;
                sessions.add(drain);
                while (model.somethingUnseen(queue)) {
                    receive(drain);
                }
                for (Message m; (m = consumer.receive(200)) != null; ) {
                    Msg msg = model.get(BrokerClients.text(m));
                    model.handed(msg, -1, m.getJMSMessageID(), BrokerClients.count(m), m.getJMSRedelivered(),
                            System.currentTimeMillis(), 0, false);
                    model.completed(msg, true);
                }
                sessions.remove(drain);
            }
        }
        for (Msg m : model.all()) {
            if (m.state != PeekLockModel.State.COMPLETED && m.state != PeekLockModel.State.MAYBE_COMPLETED) {
                throw new AssertionError("lost: " + m);
            }
        }
        for (String queue : queues) {
            eventually(queue + " is empty", Duration.ofSeconds(3), () -> clients.broker.queueDepth(queue) == 0);
            if (clients.broker.queueDepth("DLQ." + queue) != 0) {
                throw new AssertionError("messages went to DLQ." + queue);
            }
        }
    }

    private void closeQuietly() {
        List<Connection> all = new ArrayList<>(List.of(connections));
        all.add(producerConnection);
        for (Connection c : all) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                // dropped by the broker: nothing left to release
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
