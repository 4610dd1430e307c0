package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.security.PeerLimits;

/**
 * What one client connection may hold ({@link PeerLimits#maxSessionsPerConnection()},
 * {@link PeerLimits#maxConsumersPerConnection()}, {@link PeerLimits#maxTemporariesPerConnection()}): each session,
 * consumer and temporary destination costs heap no memory limit counts, so one more than the limit is refused with
 * {@code RESOURCE_EXHAUSTED}, naming the setting.
 */
final class ConnectionQuota {
    private final PeerLimits limits;
    private final String connectionId;

    ConnectionQuota(PeerLimits limits, String connectionId) {
        this.limits = limits;
        this.connectionId = connectionId;
    }

    /** @param open the sessions the connection has open now */
    void requireRoomForSession(int open) {
        require(open, limits.maxSessionsPerConnection(), "sessions open", "maxSessionsPerConnection", "close");
    }

    /** @param open the consumers the connection has open now, over all its sessions */
    void requireRoomForConsumer(int open) {
        require(open, limits.maxConsumersPerConnection(), "consumers open", "maxConsumersPerConnection", "close");
    }

    /** @param has the temporary destinations the connection has now */
    void requireRoomForTemporary(int has) {
        require(has, limits.maxTemporariesPerConnection(), "temporary destinations", "maxTemporariesPerConnection",
                "delete");
    }

    private void require(int held, int most, String what, String setting, String remedy) {
        if (held >= most) {
            throw new BrokerException(ErrorCode.RESOURCE_EXHAUSTED, "connection " + connectionId + " has " + most
                    + " " + what + ", the most the broker allows one connection (" + setting + "); " + remedy
                    + " one first");
        }
    }
}
