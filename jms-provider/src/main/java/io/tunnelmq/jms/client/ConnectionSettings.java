package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.ReconnectOptions;
import io.tunnelmq.jms.TlsOptions;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.failover.FailoverEngineFactory;
import io.tunnelmq.jms.failover.FailoverOptions;

/**
 * Hands the layers below the facade their share of the parsed URL options, so they never depend on the public API,
 * and says how long the facade waits for them.
 */
public final class ConnectionSettings {
    /** A wait without a facade bound: the layers below decide when a call fails. */
    static final long NO_BOUND = Long.MAX_VALUE;
    /** Extra wait beyond the engine's own timeout, so the engine's more precise error wins. */
    private static final long GRACE_MILLIS = 1_000;

    private ConnectionSettings() {
    }

    /** The engine's options for a connection with these settings (to the first broker of the list). */
    public static EngineOptions forEngine(ConnectionOptions o) {
        EngineOptions plain = new EngineOptions(o.host(), o.port(), o.clientId(), o.user(), o.password(), o.connectTimeoutMillis(),
                o.requestTimeoutMillis(), o.sendTimeoutMillis(), o.heartbeatMillis(), o.lockDurationMillis(),
                o.maxFrameSize(), o.maxLockRenewalMillis());
        TlsOptions t = o.tls();
        return t == null ? plain : plain.withTls(t.trustStore(), t.trustStorePassword(), t.trustStoreType(),
                t.keyStore(), t.keyStorePassword(), t.keyStoreType(), t.verifyHost());
    }

    /** The failover layer's options for a connection with these settings. */
    public static FailoverOptions forFailover(ConnectionOptions o) {
        ReconnectOptions r = o.reconnect();
        return new FailoverOptions(o.addresses(), r.randomize(), r.timeoutMillis(), r.delayMillis(), r.backoff(),
                r.maxDelayMillis());
    }

    /**
     * The engine factory a connection with these settings uses: {@code engines} wrapped in the failover layer when
     * the connection reconnects, {@code engines} itself (failing on the first loss) when it does not.
     */
    static EngineFactory engines(ConnectionOptions o, EngineFactory engines) {
        return o.reconnect().enabled() ? new FailoverEngineFactory(engines, forFailover(o)) : engines;
    }

    /**
     * How long a blocking call waits for the broker's answer to a request. The engine fails a request on a live
     * connection after requestTimeout; while the connection reconnects the request waits for the new one, which
     * the failover layer gives up on after reconnectTimeout (plus the last attempt's connect). So this is only a
     * backstop: requestTimeout when the connection does not reconnect, their sum (and a grace) when it does, and
     * {@link #NO_BOUND} when it reconnects forever.
     */
    static long requestWaitMillis(ConnectionOptions o) {
        return withReconnect(o, o.requestTimeoutMillis());
    }

    /** Like {@link #requestWaitMillis}, for a send: it may first wait sendTimeout for room in the send window. */
    static long sendWaitMillis(ConnectionOptions o) {
        return withReconnect(o, o.sendTimeoutMillis() + o.requestTimeoutMillis());
    }

    /**
     * How long creating a connection waits: the engine's connect timeout for every broker of the list, and the
     * reconnect timeout when the failover layer keeps trying.
     */
    static long connectWaitMillis(ConnectionOptions o) {
        long perBroker = o.connectTimeoutMillis() * o.addresses().size() + GRACE_MILLIS;
        return o.reconnect().enabled() ? withReconnect(o, perBroker) : perBroker;
    }

    private static long withReconnect(ConnectionOptions o, long liveBound) {
        ReconnectOptions r = o.reconnect();
        if (!r.enabled()) {
            return liveBound;
        }
        if (r.forever()) {
            return NO_BOUND;
        }
        return liveBound + r.timeoutMillis() + o.connectTimeoutMillis() + GRACE_MILLIS;
    }
}
