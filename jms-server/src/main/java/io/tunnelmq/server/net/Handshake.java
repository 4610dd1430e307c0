package io.tunnelmq.server.net;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Hello;

/** Checks a client's Hello and works out the terms of the connection. */
final class Handshake {
    /** Hello option: the lock duration the client wants, in milliseconds (0 = each queue's setting). */
    static final String LOCK_DURATION_OPTION = "lockDuration";

    /**
     * The agreed terms.
     *
     * @param heartbeatMillis    agreed heartbeat interval, 0 = off
     * @param lockDurationMillis requested lock duration, 0 = the queues' settings
     */
    record Terms(int heartbeatMillis, long lockDurationMillis) {
    }

    private Handshake() {
    }

    /**
     * @throws ProtocolException with the code to refuse the connection with
     */
    static Terms negotiate(Hello hello, NetSettings settings, Authenticator authenticator) {
        if (hello.version() != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol version "
                    + hello.version() + ", broker speaks " + Protocol.VERSION);
        }
        if (hello.clientId() != null && hello.clientId().isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID,
                    "the client ID must not be blank; set a real one or none at all");
        }
        if (!authenticator.accepts(hello.user(), hello.password())) {
            throw new ProtocolException(ErrorCode.AUTHENTICATION_FAILED, "user '" + hello.user()
                    + "' was refused: wrong user name or password");
        }
        int heartbeat = Math.min(hello.heartbeatMillis(), settings.maxHeartbeatMillis());
        return new Terms(heartbeat, lockDuration(hello));
    }

    private static long lockDuration(Hello hello) {
        Object value = hello.options().get(LOCK_DURATION_OPTION);
        if (value == null) {
            return 0;
        }
        if ((value instanceof Long || value instanceof Integer || value instanceof Short)
                && ((Number) value).longValue() >= 0) {
            return ((Number) value).longValue();
        }
        throw new ProtocolException(ErrorCode.PROTOCOL_VIOLATION, "Hello option " + LOCK_DURATION_OPTION
                + " must be a whole number of milliseconds >= 0 (0 = the broker's setting), was " + value);
    }
}
