package io.tunnelmq.jms.engine;

/** Where the facade gets its engine from. */
public final class Engines {
    private Engines() {
    }

    /** The real engine: Netty over TCP. */
    public static EngineFactory netty() {
        return NettyEngineFactory.INSTANCE;
    }
}
