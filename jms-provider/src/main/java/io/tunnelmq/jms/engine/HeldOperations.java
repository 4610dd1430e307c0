package io.tunnelmq.jms.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The operations of one session that wait behind a send of the same session waiting for window, so the broker
 * sees the session's operations in call order while other sessions are not held up. The head is always such a
 * send ({@link QueuedSend}). Gathered completions and hand-out notices ({@link SettleBatch}) are written before
 * each operation that goes out, for the same reason. Confined to the event loop.
 */
final class HeldOperations {
    private final int channel;
    private final SettleBatch batch;
    private final Deque<SessionOp> held = new ArrayDeque<>();

    HeldOperations(int channel, SettleBatch batch) {
        this.channel = channel;
        this.batch = batch;
    }

    /** Nothing waits: an operation may be written at once. */
    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Puts an operation at the end of the line, behind the waiting send. */
    void hold(SessionOp op) {
        held.addLast(op);
    }

    /** Writes an operation now (after the gathered settlements), or holds it behind the waiting send. */
    void submit(SessionOp op) {
        if (held.isEmpty()) {
            batch.flush();
            op.write();
        } else {
            held.addLast(op);
        }
    }

    /** The window has room for the waiting send, which is the head of the line: write it and what it held up. */
    void resume(QueuedSend q) {
        SessionOp head = held.pollFirst();
        if (head != q) {
            throw new IllegalStateException("session " + channel + ": waiting send is not at the head of its session");
        }
        q.write();
        writeUnblocked();
    }

    /** The waiting send gave up (send timeout): fail it and let the operations behind it go. */
    void drop(QueuedSend q, EngineException cause) {
        boolean wasHead = held.peekFirst() == q;
        held.remove(q);
        q.fail(cause);
        if (wasHead) {
            writeUnblocked();
        }
    }

    /** Fails every held operation (the session or connection ended): none will ever be written. */
    void failAll(EngineException cause, SendScheduler sends) {
        List<SessionOp> ops = new ArrayList<>(held);
        held.clear();
        for (SessionOp op : ops) {
            if (op instanceof QueuedSend q) {
                sends.forget(q);
            }
            op.fail(cause);
        }
    }

    /** Writes held operations up to the next send that waits for window. */
    private void writeUnblocked() {
        while (!held.isEmpty() && !(held.peekFirst() instanceof QueuedSend)) {
            batch.flush();
            held.pollFirst().write();
        }
    }
}
