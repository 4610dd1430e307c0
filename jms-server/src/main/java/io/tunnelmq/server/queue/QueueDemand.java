package io.tunnelmq.server.queue;

/**
 * What a queue tells the store it shares with other brokers ({@code store=postgresql}): there the queue's backlog
 * waits in the database, and this broker's queue holds only what it claimed for its own consumers. The queue says
 * when its consumers could take more than it holds ({@link #wants}), and when it holds waiting messages no consumer
 * of this broker can take ({@link #surplus}): those go back ({@link SharedBacklog#handBack}) for other brokers'
 * consumers, as a consumer's unseen prefetch goes back to a starving one on one broker. Called outside the queue's
 * lock (through its {@link Outbox}), often: implementations keep one claim in flight per queue and ignore the rest.
 */
public interface QueueDemand {
    /** A queue whose backlog is all here: it asks for nothing. */
    QueueDemand NONE = new QueueDemand() {
        @Override
        public void wants(int messages) {
        }

        @Override
        public void surplus() {
        }

        @Override
        public void arrived() {
        }

        @Override
        public void consumersChanged() {
        }
    };

    /** The queue's consumers have credit for {@code messages} more than it holds available. */
    void wants(int messages);

    /** The queue holds waiting messages and has no consumer. */
    void surplus();

    /**
     * A message was stored for the queue through this broker (a send, a move): it waits in the shared store, not in
     * the queue, until a claim brings it here; claim now if consumers could take it.
     */
    void arrived();

    /**
     * The queue's consumers changed after it declined messages none of them selected ({@link HandedBack#declined}):
     * they may select them now.
     */
    void consumersChanged();

    /**
     * Whether the queue may deliver what it holds: not once this broker is fenced, or about to be, by the brokers it
     * shares the store with (what it claimed may be another broker's by now). Asked under the queue's lock before
     * every dispatch: cheap.
     */
    default boolean mayDeliver() {
        return true;
    }
}
