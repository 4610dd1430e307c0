package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.integration.PeekLockModel.Msg;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A session with its consumer (null once closed) and what the model needs to remember about it. */
final class ModelSession {
    final int id;
    final int connection;
    final int mode;
    final String queue;
    final Session session;
    MessageConsumer consumer;
    Message last;
    /** Messages it was handed whose lock ran out and that another session has received since. */
    final Set<Msg> lost = new HashSet<>();
    /** Messages it was handed again after their lock ran out in its own hands (their id names two holds). */
    final Set<Msg> reheld = new HashSet<>();
    /** AUTO completions sent fire-and-forget since its last round trip. */
    final List<Msg> unsynced = new ArrayList<>();

    ModelSession(int id, int connection, int mode, String queue, Session session, MessageConsumer consumer) {
        this.id = id;
        this.connection = connection;
        this.mode = mode;
        this.queue = queue;
        this.session = session;
        this.consumer = consumer;
    }

    /** A round trip on the session's channel returned: the AUTO completions sent before it were processed. */
    void synced() {
        unsynced.forEach(m -> m.completionInFlight = false);
        unsynced.clear();
    }
}
