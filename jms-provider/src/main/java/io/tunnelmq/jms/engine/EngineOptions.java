package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.transport.TransportTls;
import io.tunnelmq.jms.transport.TransportOptions;

import java.util.Objects;

/**
 * The settings an engine connection works with. The facade builds them from the connection URL the public API
 * parsed and validated, so the engine does not depend on the layers above it; consumer prefetch is not here
 * because the facade passes it per consumer ({@link ConsumerSpec}).
 *
 * @param host                 broker host name or address
 * @param port                 broker port
 * @param clientId             client ID sent in the handshake, or null
 * @param user                 user name sent in the handshake, or null
 * @param password             password sent in the handshake, or null
 * @param connectTimeoutMillis connect and handshake timeout
 * @param requestTimeoutMillis how long a request waits for the broker's answer
 * @param sendTimeoutMillis    how long a send waits for send window
 * @param heartbeatMillis      heartbeat interval asked for in the handshake, 0 = off
 * @param lockDurationMillis   lock duration asked for in the handshake, 0 = the broker's
 * @param maxFrameSize         largest frame sent or accepted, in bytes
 * @param maxLockRenewalMillis how long the engine renews locks of held, unsettled messages, 0 = never
 * @param resumeConnectionId   the broker's id of this client's previous connection, when this one replaces it after
 *                             a loss (sent in the handshake: the broker ends that connection at once, if it still
 *                             holds it and it presented the same {@code resumeKey}, so its client ID, subscriptions
 *                             and locks are free), or null
 * @param resumeKey            the secret every connection of one failover connection presents in the handshake, so
 *                             that only a successor holding it may end one by {@code resumeConnectionId} (ids are
 *                             predictable, the key is not); null: this connection can never be ended so, nor end
 *                             another. Never logged.
 * @param tls                  TLS settings ({@code tmqs://}), or null for a plain connection
 */
public record EngineOptions(String host, int port, String clientId, String user, String password,
                            long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                            int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long maxLockRenewalMillis,
                            String resumeConnectionId, String resumeKey, TransportTls tls) {

    public EngineOptions {
        Objects.requireNonNull(host, "host");
    }

    /** Plain options (no TLS) that may resume a connection. */
    public EngineOptions(String host, int port, String clientId, String user, String password,
                         long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                         int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long maxLockRenewalMillis,
                         String resumeConnectionId, String resumeKey) {
        this(host, port, clientId, user, password, connectTimeoutMillis, requestTimeoutMillis, sendTimeoutMillis,
                heartbeatMillis, lockDurationMillis, maxFrameSize, maxLockRenewalMillis, resumeConnectionId, resumeKey,
                null);
    }

    /** Options for a first connection (resuming none). */
    public EngineOptions(String host, int port, String clientId, String user, String password,
                         long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                         int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long maxLockRenewalMillis) {
        this(host, port, clientId, user, password, connectTimeoutMillis, requestTimeoutMillis, sendTimeoutMillis,
                heartbeatMillis, lockDurationMillis, maxFrameSize, maxLockRenewalMillis, null, null);
    }

    /** Options that resume connection {@code resumeConnectionId} without a resume key. */
    public EngineOptions(String host, int port, String clientId, String user, String password,
                         long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                         int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long maxLockRenewalMillis,
                         String resumeConnectionId) {
        this(host, port, clientId, user, password, connectTimeoutMillis, requestTimeoutMillis, sendTimeoutMillis,
                heartbeatMillis, lockDurationMillis, maxFrameSize, maxLockRenewalMillis, resumeConnectionId, null);
    }

    /**
     * These options for another broker address, replacing the connection {@code resumeId} (null: none), with the
     * same resume key.
     */
    public EngineOptions at(String newHost, int newPort, String resumeId) {
        return new EngineOptions(newHost, newPort, clientId, user, password, connectTimeoutMillis,
                requestTimeoutMillis, sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize,
                maxLockRenewalMillis, resumeId, resumeKey, tls);
    }

    /** These options with the resume key {@code key} (null: none). */
    public EngineOptions withResumeKey(String key) {
        return new EngineOptions(host, port, clientId, user, password, connectTimeoutMillis, requestTimeoutMillis,
                sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize, maxLockRenewalMillis,
                resumeConnectionId, key, tls);
    }

    /**
     * These options through TLS, with these key and trust stores (null: the {@code javax.net.ssl.*} system properties'
     * or the JDK's; types null: PKCS12), checking the broker's host name if {@code verifyHost}.
     */
    public EngineOptions withTls(String trustStore, String trustStorePassword, String trustStoreType, String keyStore,
                                 String keyStorePassword, String keyStoreType, boolean verifyHost) {
        return withTls(new TransportTls(trustStore, trustStorePassword, trustStoreType, keyStore, keyStorePassword,
                keyStoreType, verifyHost));
    }

    /** These options with TLS as {@code newTls} says (null: plain). */
    public EngineOptions withTls(TransportTls newTls) {
        return new EngineOptions(host, port, clientId, user, password, connectTimeoutMillis, requestTimeoutMillis,
                sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize, maxLockRenewalMillis,
                resumeConnectionId, resumeKey, newTls);
    }

    /** The broker address as {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    /** The broker as its URL names it, {@code tmq://host:port} or {@code tmqs://host:port}, for messages and logs. */
    public String url() {
        return (tls == null ? "tmq://" : "tmqs://") + address();
    }

    /** What the transport needs of these. */
    TransportOptions transport() {
        return new TransportOptions(connectTimeoutMillis, maxFrameSize);
    }

    @Override
    public String toString() {
        // never the password nor the resume key: options end up in logs
        return "EngineOptions[" + url() + ", clientID=" + clientId + ", user=" + user + ", heartbeat=" + heartbeatMillis
                + "]";
    }
}
