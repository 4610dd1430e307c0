package io.tunnelmq.bench.broker;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;

import java.nio.file.Path;

/** The TunnelMQ broker with the standalone broker's defaults (journal in the data directory), on 127.0.0.1. */
final class TunnelBroker implements BrokerCommand.RunningBroker {
    private final EmbeddedBroker broker;

    private TunnelBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    static TunnelBroker start(int port, Path dataDir) {
        return new TunnelBroker(EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(port)
                .withJournal(dataDir)));
    }

    @Override
    public String url() {
        return broker.url();
    }

    @Override
    public String description() {
        return "TunnelMQ " + broker.version() + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB";
    }

    @Override
    public void close() {
        broker.close();
    }
}
