package io.tunnelmq.jms.integration;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * One step of a {@link PeekLockModelTest} history. Sessions and connections are named by index, taken modulo what is
 * open when the step runs (a step with nothing to act on does nothing), so that any sub-list of a history is a
 * history too: jqwik shrinks a failure by dropping steps.
 */
sealed interface ModelAction {
    /** Carries the step out on the run, which checks it against the model. */
    void applyTo(PeekLockModelRun run) throws Exception;

    /** Sends 1..3 messages to queue 0 or 1. */
    record Send(int queue, int count) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.send(queue, count);
        }
    }

    /** Opens a session (0 CLIENT_ACKNOWLEDGE, 1 AUTO_ACKNOWLEDGE, 2 transacted) with one consumer on a queue. */
    record Open(int connection, int mode, int queue) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.open(connection, mode, queue);
        }
    }

    record Receive(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.receive(session);
        }
    }

    record Acknowledge(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.acknowledge(session);
        }
    }

    record Recover(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.recover(session);
        }
    }

    record Commit(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.commit(session);
        }
    }

    record Rollback(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.rollback(session);
        }
    }

    record CloseConsumer(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.closeConsumer(session);
        }
    }

    record CloseSession(int session) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.closeSession(session);
        }
    }

    /** Stops the connection if it is started, starts it if it is stopped. */
    record StopOrStart(int connection) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.stopOrStart(connection);
        }
    }

    /**
     * The broker drops every client's TCP connection; the test opens new ones. With {@code roundTripFirst} each
     * session that holds messages first makes a round trip, so the broker surely knew what had been handed out.
     */
    record Drop(boolean roundTripFirst) implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.drop(roundTripFirst);
        }
    }

    /** Waits until every lock held on the short-lock connection has run out. */
    record AwaitLockExpiry() implements ModelAction {
        @Override
        public void applyTo(PeekLockModelRun run) throws Exception {
            run.awaitLockExpiry();
        }
    }

    /** Histories of {@code minSize..maxSize} steps, receives the most frequent. */
    static Arbitrary<List<ModelAction>> histories(int minSize, int maxSize) {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> queue = Arbitraries.integers().between(0, 1);
        Arbitrary<Integer> connection = Arbitraries.integers().between(0, PeekLockModelRun.CONNECTIONS - 1);
        @SuppressWarnings("unchecked")
        Arbitrary<ModelAction> step = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(1, 3).flatMap(n -> queue.map(q -> new Send(q, n)))),
                Tuple.of(3, Arbitraries.integers().between(0, 2).flatMap(mode -> queue.flatMap(
                        q -> connection.map(c -> new Open(c, mode, q))))),
                Tuple.of(9, index.map(Receive::new)),
                Tuple.of(3, index.map(Acknowledge::new)),
                Tuple.of(1, index.map(Recover::new)),
                Tuple.of(2, index.map(Commit::new)),
                Tuple.of(1, index.map(Rollback::new)),
                Tuple.of(1, index.map(CloseConsumer::new)),
                Tuple.of(1, index.map(CloseSession::new)),
                Tuple.of(1, connection.map(StopOrStart::new)),
                Tuple.of(1, Arbitraries.of(true, false).map(Drop::new)),
                Tuple.of(1, Arbitraries.just(new AwaitLockExpiry())));
        return step.list().ofMinSize(minSize).ofMaxSize(maxSize);
    }
}
