package io.tunnelmq.bench.broker;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.security.PeerLimits;

import java.nio.file.Path;

/** The TunnelMQ broker with the standalone broker's defaults (journal in the data directory), on 127.0.0.1. */
final class TunnelBroker implements BrokerCommand.RunningBroker {
    private final EmbeddedBroker broker;

    private TunnelBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    static TunnelBroker start(int port, Path dataDir) {
        return start(port, dataDir, null, null, 0);
    }

    /**
     * With a key store ({@code keyStore} not null), the broker listens on {@code port} with TLS only; with an
     * {@code httpPort} above 0 it serves {@code /metrics} there.
     */
    static TunnelBroker start(int port, Path dataDir, Path keyStore, String password, int httpPort) {
        return start(port, dataDir, keyStore, password, httpPort, 0);
    }

    /**
     * {@link #start(int, Path, Path, String, int)}, and with {@code maxConnections} above 0 the broker holds that many
     * connections at once, in all and from one address: every benchmark client comes from 127.0.0.1.
     */
    static TunnelBroker start(int port, Path dataDir, Path keyStore, String password, int httpPort,
                              int maxConnections) {
        BrokerConfig config = BrokerConfig.defaults().withHost("127.0.0.1").withPort(port).withJournal(dataDir)
                .withHttpPort(httpPort);
        if (maxConnections > 0) {
            config = config.withPeerLimits(config.peerLimits().withMaxConnections(maxConnections)
                    .withMaxConnectionsPerAddress(maxConnections));
        }
        if (keyStore != null) {
            config = config.withTls(new TlsSettings(port, keyStore, password).withPlainDisabled(true));
        }
        return new TunnelBroker(EmbeddedBroker.start(config));
    }

    @Override
    public String url() {
        return broker.url();
    }

    @Override
    public String description() {
        PeerLimits limits = broker.config().peerLimits();
        return "TunnelMQ " + broker.version() + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB" + (limits.equals(PeerLimits.DEFAULTS) ? "" : ", at most " + limits.maxConnections()
                + " connections (" + limits.maxConnectionsPerAddress() + " per address)")
                + (broker.httpPort() > 0 ? ", metrics on http://127.0.0.1:" + broker.httpPort() + "/metrics" : "");
    }

    @Override
    public void close() {
        broker.close();
    }
}
