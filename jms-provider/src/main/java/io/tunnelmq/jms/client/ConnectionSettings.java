package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.engine.EngineOptions;

/** Hands the engine its share of the parsed URL options, so the engine never depends on the public API. */
public final class ConnectionSettings {
    private ConnectionSettings() {
    }

    /** The engine's options for a connection with these settings. */
    public static EngineOptions forEngine(ConnectionOptions o) {
        return new EngineOptions(o.host(), o.port(), o.clientId(), o.user(), o.password(), o.connectTimeoutMillis(),
                o.requestTimeoutMillis(), o.sendTimeoutMillis(), o.heartbeatMillis(), o.lockDurationMillis(),
                o.maxFrameSize(), o.maxLockRenewalMillis());
    }
}
