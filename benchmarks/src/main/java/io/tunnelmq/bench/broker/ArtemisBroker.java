package io.tunnelmq.bench.broker;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;

import java.nio.file.Path;

/**
 * An embedded ActiveMQ Artemis with the code defaults of its configuration (persistence on, its journal in
 * {@code dataDir}); the only changes are a core-protocol acceptor on 127.0.0.1 and security off (the load tool
 * sends no credentials). Epoll is off because Netty here is the reactor's version, whose native transport does not
 * match Artemis's; TunnelMQ uses the NIO transport too.
 */
final class ArtemisBroker implements BrokerCommand.RunningBroker {
    private final EmbeddedActiveMQ server;
    private final int port;
    private final boolean tls;

    private ArtemisBroker(EmbeddedActiveMQ server, int port, boolean tls) {
        this.server = server;
        this.port = port;
        this.tls = tls;
    }

    static ArtemisBroker start(int port, Path dataDir) throws Exception {
        return start(port, dataDir, null, null);
    }

    /** With a PKCS12 key store ({@code keyStore} not null), the acceptor speaks TLS only. */
    static ArtemisBroker start(int port, Path dataDir, Path keyStore, String password) throws Exception {
        return start(port, dataDir, keyStore, password, 0);
    }

    /**
     * {@link #start(int, Path, Path, String)}, and with {@code pageMaxBytes} above 0 every address pages to disk
     * (address-full-policy PAGE) once its messages take more than that many bytes of memory.
     */
    static ArtemisBroker start(int port, Path dataDir, Path keyStore, String password, long pageMaxBytes)
            throws Exception {
        String tls = keyStore == null ? "" : "&sslEnabled=true&sslProvider=" + ArtemisTls.provider()
                + "&keyStoreType=PKCS12&keyStorePath=" + keyStore + "&keyStorePassword=" + password;
        Configuration config = new ConfigurationImpl()
                .setName("bench-artemis")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .addAcceptorConfiguration("core", "tcp://127.0.0.1:" + port + "?protocols=CORE&useEpoll=false" + tls);
        if (pageMaxBytes > 0) {
            config.addAddressSetting("#", new AddressSettings()
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE).setMaxSizeBytes(pageMaxBytes));
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        // Artemis logs a failed acceptor bind and starts anyway; a broker nobody can reach is no broker
        Acceptor acceptor = server.getActiveMQServer().getRemotingService().getAcceptor("core");
        if (!server.getActiveMQServer().isActive() || acceptor == null || !acceptor.isStarted()) {
            server.stop();
            throw new IllegalStateException("Artemis could not listen on 127.0.0.1:" + port
                    + " (port in use?); see its log above");
        }
        return new ArtemisBroker(server, port, keyStore != null);
    }

    @Override
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public String description() {
        Configuration c = server.getActiveMQServer().getConfiguration();
        return "ActiveMQ Artemis " + server.getActiveMQServer().getVersion().getFullVersion() + ", journal "
                + c.getJournalType() + " in " + c.getJournalDirectory() + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB"
                + pagingDescription(server.getActiveMQServer().getConfiguration())
                + (tls ? ", TLS provider " + ArtemisTls.describe() : "");
    }

    private static String pagingDescription(Configuration c) {
        AddressSettings all = c.getAddressSettings().get("#");
        return all == null ? "" : ", paging: " + all.getAddressFullMessagePolicy() + " past " + all.getMaxSizeBytes()
                + " bytes per address";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("Artemis did not stop cleanly: " + e);
        }
    }
}
