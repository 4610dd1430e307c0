package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireDestination;

/**
 * What the user of an admin request may administer, as the broker's permissions say ({@code admin}). Management
 * defines it, the network layer answers it from the user's access; an open broker allows everything ({@link #ALL}).
 */
public interface AdminAuthority {
    /** Everything is allowed: a broker that checks no permissions. */
    AdminAuthority ALL = new AdminAuthority() {
        @Override
        public boolean mayAdminister(WireDestination destination) {
            return true;
        }

        @Override
        public void requireAdminister(WireDestination destination, String operation) {
        }

        @Override
        public void requireAdministerAll(String operation) {
        }
    };

    /** Whether the user may administer the destination. */
    boolean mayAdminister(WireDestination destination);

    /**
     * @param operation what the user asked for, for the refusal ("purge")
     * @throws io.tunnelmq.server.destination.BrokerException {@code NOT_AUTHORIZED}, naming user, operation and
     *                                                         permission
     */
    void requireAdminister(WireDestination destination, String operation);

    /**
     * Refuses a broker-wide operation unless the user may administer every queue.
     *
     * @throws io.tunnelmq.server.destination.BrokerException {@code NOT_AUTHORIZED}
     */
    void requireAdministerAll(String operation);
}
