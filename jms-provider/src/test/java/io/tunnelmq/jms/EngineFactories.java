package io.tunnelmq.jms;

import io.tunnelmq.jms.engine.EngineFactory;

/** For tests in other packages: a connection factory over an engine of the test's choosing (a fake, or Netty). */
public final class EngineFactories {
    private EngineFactories() {
    }

    public static TunnelConnectionFactory connectionFactory(ConnectionOptions options, EngineFactory engines) {
        return new TunnelConnectionFactory(options, engines);
    }
}
