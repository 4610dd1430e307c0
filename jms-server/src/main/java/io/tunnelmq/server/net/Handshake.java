package io.tunnelmq.server.net;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.session.BrokerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/** Checks a client's Hello and works out the terms of the connection (credentials: {@link Logins}). */
final class Handshake {

    /**
     * The agreed terms.
     *
     * @param heartbeatMillis    agreed heartbeat interval, 0 = off
     * @param lockDurationMillis requested lock duration, 0 = the queues' settings
     * @param resumeConnectionId the connection this one replaces ({@link Hello#OPTION_RESUME}), or null
     * @param readsPeers         the client reads the peers in Welcome ({@link Hello#OPTION_PEERS})
     * @param readsStoreId       the client reads the store id in Welcome ({@link Hello#OPTION_STORE_ID})
     * @param resumeKey          the secret a resume must present ({@link Hello#OPTION_RESUME_KEY}), or null
     * @param unansweredSends    the client sends unanswered sends and reads {@code Welcome.unansweredSends} and
     *                           {@code WindowUpdate.received} ({@link Hello#OPTION_UNANSWERED_SENDS})
     */
    record Terms(int heartbeatMillis, long lockDurationMillis, String resumeConnectionId, boolean readsPeers,
                 boolean readsStoreId, String resumeKey, boolean unansweredSends) {
        @Override
        public String toString() {
            return "Terms[heartbeatMillis=" + heartbeatMillis + ", lockDurationMillis=" + lockDurationMillis
                    + ", resumeConnectionId=" + resumeConnectionId + ", readsPeers=" + readsPeers
                    + ", readsStoreId=" + readsStoreId + ", unansweredSends=" + unansweredSends
                    + "]"; // never the key
        }
    }

    /** Longest resume key accepted: a client's random key needs far less; the cap bounds what a connection holds. */
    static final int MAX_RESUME_KEY_LENGTH = 128;

    private Handshake() {
    }

    /**
     * @throws ProtocolException with the code to refuse the connection with
     */
    static Terms negotiate(Hello hello, NetSettings settings) {
        if (hello.version() != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol version "
                    + hello.version() + ", broker speaks " + Protocol.VERSION);
        }
        if (hello.clientId() != null && hello.clientId().isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID,
                    "the client ID must not be blank; set a real one or none at all");
        }
        String problem = Protocol.nameProblem("client ID", hello.clientId());
        if (problem != null) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, problem);
        }
        int heartbeat = Math.min(hello.heartbeatMillis(), settings.maxHeartbeatMillis());
        return new Terms(heartbeat, lockDuration(hello), resume(hello), flag(hello, Hello.OPTION_PEERS),
                flag(hello, Hello.OPTION_STORE_ID), resumeKey(hello), flag(hello, Hello.OPTION_UNANSWERED_SENDS));
    }

    /** The Welcome that opens connection {@code connectionId}, as {@code hello} asked and {@code terms} agreed. */
    static Welcome welcome(Hello hello, Terms terms, String connectionId, long freeBytes, NetSettings settings,
                           BrokerContext broker) {
        return new Welcome(Protocol.VERSION, connectionId, terms.heartbeatMillis(), freeBytes, settings.maxFrameSize(),
                settings.brokerVersion(), System.currentTimeMillis(), terms.readsPeers() ? settings.peers() : List.of(),
                terms.readsStoreId() ? broker.destinations().storage().persistent().identity() : null,
                broker.access().enabled() && flag(hello, Hello.OPTION_ACCESS_CHECKED), terms.unansweredSends());
    }

    /** Whether the Hello sets a yes/no option; anything but {@code true} is no. */
    static boolean flag(Hello hello, String option) {
        return Boolean.TRUE.equals(hello.options().get(option));
    }

    private static long lockDuration(Hello hello) {
        Object value = hello.options().get(Hello.OPTION_LOCK_DURATION);
        if (value == null) {
            return 0;
        }
        if ((value instanceof Long || value instanceof Integer || value instanceof Short)
                && ((Number) value).longValue() >= 0) {
            return ((Number) value).longValue();
        }
        throw new ProtocolException(ErrorCode.PROTOCOL_VIOLATION, "Hello option " + Hello.OPTION_LOCK_DURATION
                + " must be a whole number of milliseconds >= 0 (0 = the broker's setting), was "
                + PeerText.of(String.valueOf(value)));
    }

    private static String resume(Hello hello) {
        Object value = hello.options().get(Hello.OPTION_RESUME);
        if (value == null || value instanceof String s && !s.isBlank()) {
            return (String) value;
        }
        throw new ProtocolException(ErrorCode.PROTOCOL_VIOLATION, "Hello option " + Hello.OPTION_RESUME
                + " must be the id of the connection this one replaces (a non-empty string), was "
                + PeerText.of(String.valueOf(value)));
    }

    private static String resumeKey(Hello hello) {
        Object value = hello.options().get(Hello.OPTION_RESUME_KEY);
        if (value == null || value instanceof String s && !s.isEmpty() && s.length() <= MAX_RESUME_KEY_LENGTH) {
            return (String) value;
        }
        // never the value: it is meant to be a secret
        throw new ProtocolException(ErrorCode.PROTOCOL_VIOLATION, "Hello option " + Hello.OPTION_RESUME_KEY
                + " must be a non-empty string of at most " + MAX_RESUME_KEY_LENGTH + " characters");
    }

    /**
     * Why a Hello of {@code newUser} presenting {@code newKey} may not end (resume) an open connection of
     * {@code user} that presented {@code resumeKey}, or null if it may.
     */
    static String replacementRefusal(String user, String resumeKey, String newUser, String newKey) {
        if (resumeKey == null) {
            return "the connection it names presented no resume key, so no other may replace it";
        }
        if (newKey == null) {
            return "it presented no resume key";
        }
        // constant time: how much of a guessed key matched must not show in the answer's timing
        if (!MessageDigest.isEqual(resumeKey.getBytes(StandardCharsets.UTF_8),
                newKey.getBytes(StandardCharsets.UTF_8))) {
            return "its resume key is not the one the connection it names presented";
        }
        if (!Objects.equals(user, newUser)) {
            return "only its own user may end a connection";
        }
        return null;
    }
}
