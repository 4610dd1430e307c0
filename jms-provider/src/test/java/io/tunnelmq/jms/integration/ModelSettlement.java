package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.integration.PeekLockModel.Msg;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import java.util.List;

/**
 * The settling steps of a {@link PeekLockModelRun} on one session — acknowledge, recover, commit, rollback — each
 * checked against the {@link PeekLockModel}: a settlement may fail only for a lock that ran out (and must name it), and
 * what it settled moves on in the model.
 */
final class ModelSettlement {
    private final PeekLockModel model;

    ModelSettlement(PeekLockModel model) {
        this.model = model;
    }

    void acknowledge(ModelSession s) throws JMSException {
        if (s.mode != Session.CLIENT_ACKNOWLEDGE || s.last == null) {
            return;
        }
        List<Msg> held = model.heldBy(s.id);
        String failure = null;
        try {
            s.last.acknowledge();
        } catch (JMSException e) {
            failure = String.valueOf(e.getMessage());
        }
        for (Msg m : s.lost) {
            if (failure == null || !failure.contains(m.messageId)) {
                throw new AssertionError("acknowledge on session " + s.id + " did not name " + m.body + " ("
                        + m.messageId + "), whose lock ran out and which another session received since; it said: "
                        + failure);
            }
        }
        for (Msg m : held) {
            boolean named = failure != null && failure.contains(m.messageId);
            if (s.reheld.contains(m)) {
                if (named) {
                    model.maybeCompleted(m); // the id names both its old, lost hold and the new one
                } else {
                    model.completed(m, false);
                }
            } else if (!named) {
                model.completed(m, false);
            } else if (!m.hold.expirable()
                    || System.currentTimeMillis() < m.hold.lockedUntil() - PeekLockModel.LOCK_MARGIN_MILLIS) {
                throw new AssertionError("acknowledge on session " + s.id + " named " + m.body + " whose lock could not"
                        + " have been lost: " + failure);
            } else {
                model.ended(m, false);
            }
        }
        if (failure != null && held.isEmpty() && s.lost.isEmpty()) {
            throw new AssertionError("acknowledge on session " + s.id + " failed with nothing lost: " + failure);
        }
        s.lost.clear();
        s.reheld.clear();
        s.last = null;
    }

    void recover(ModelSession s) throws JMSException {
        if (s.mode != Session.CLIENT_ACKNOWLEDGE) {
            return;
        }
        settleAll(s, s.session::recover);
        for (Msg m : model.heldBy(s.id)) {
            model.ended(m, false);
        }
        s.lost.clear();
        s.reheld.clear();
        s.last = null;
    }

    void commitOrRollback(ModelSession s, boolean commit) throws JMSException {
        if (s.mode != Session.SESSION_TRANSACTED) {
            return;
        }
        List<Msg> held = model.heldBy(s.id);
        if (!commit) {
            settleAll(s, s.session::rollback);
            held.forEach(m -> model.ended(m, false));
        } else {
            try {
                s.session.commit();
                if (!s.lost.isEmpty()) {
                    throw new AssertionError("commit on session " + s.id + " succeeded though the locks of " + s.lost
                            + " ran out and another session received them");
                }
                held.forEach(m -> {
                    if (s.reheld.contains(m)) {
                        model.maybeCompleted(m);
                    } else {
                        model.completed(m, false);
                    }
                });
            } catch (TransactionRolledBackException e) {
                if (s.lost.isEmpty() && held.stream().noneMatch(m -> m.hold.expirable())) {
                    throw new AssertionError("commit on session " + s.id + " rolled back with no lock lost", e);
                }
                held.forEach(m -> model.ended(m, false));
            }
        }
        s.lost.clear();
        s.reheld.clear();
    }

    private interface Settle {
        void run() throws JMSException;
    }

    /**
     * Recover or rollback: they give back everything the session holds. Whether giving back a lock that already ran
     * out is an error the rules do not say, so an error is accepted only when some lock may have run out.
     */
    private void settleAll(ModelSession s, Settle settle) throws JMSException {
        try {
            settle.run();
        } catch (JMSException e) {
            long now = System.currentTimeMillis();
            boolean someLockMayBeGone = !s.lost.isEmpty() || model.heldBy(s.id).stream().anyMatch(m ->
                    m.hold.expirable() && now >= m.hold.lockedUntil() - PeekLockModel.LOCK_MARGIN_MILLIS);
            if (!someLockMayBeGone) {
                throw e;
            }
        }
    }
}
