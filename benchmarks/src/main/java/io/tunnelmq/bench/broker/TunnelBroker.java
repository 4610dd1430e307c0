package io.tunnelmq.bench.broker;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.security.PasswordFile;
import io.tunnelmq.server.security.PeerLimits;

import java.nio.file.Path;

/** The TunnelMQ broker with the standalone broker's defaults (journal in the data directory), on 127.0.0.1. */
final class TunnelBroker implements BrokerCommand.RunningBroker {
    private final EmbeddedBroker broker;
    private final Options options;

    /**
     * What the broker command may change of the defaults.
     *
     * @param keyStore         with one (not null), the broker listens with TLS only
     * @param password         the key store's password
     * @param httpPort         above 0: {@code /metrics} served there
     * @param maxConnections   above 0: connections held at once, in all and from one address (every benchmark client
     *                         comes from 127.0.0.1)
     * @param users            a users file (not null): clients log in with its users' passwords
     * @param loginCacheMillis how long a passed password check is remembered (with a users file)
     */
    record Options(Path keyStore, String password, int httpPort, int maxConnections, Path users,
                   long loginCacheMillis) {
    }

    private TunnelBroker(EmbeddedBroker broker, Options options) {
        this.broker = broker;
        this.options = options;
    }

    static TunnelBroker start(int port, Path dataDir, Options options) {
        BrokerConfig config = BrokerConfig.defaults().withHost("127.0.0.1").withPort(port).withJournal(dataDir)
                .withHttpPort(options.httpPort());
        if (options.maxConnections() > 0) {
            config = config.withPeerLimits(config.peerLimits().withMaxConnections(options.maxConnections())
                    .withMaxConnectionsPerAddress(options.maxConnections()));
        }
        if (options.keyStore() != null) {
            config = config.withTls(new TlsSettings(port, options.keyStore(), options.password())
                    .withPlainDisabled(true));
        }
        Authenticator users = options.users() == null ? Authenticator.ALLOW_ALL
                : PasswordFile.load(options.users(), false, options.loginCacheMillis());
        return new TunnelBroker(EmbeddedBroker.start(config, users), options);
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
                + (broker.httpPort() > 0 ? ", metrics on http://127.0.0.1:" + broker.httpPort() + "/metrics" : "")
                + (options.users() == null ? "" : ", users from " + options.users() + " (a passed check remembered "
                + options.loginCacheMillis() + " ms)");
    }

    @Override
    public void close() {
        broker.close();
    }
}
