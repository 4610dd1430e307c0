package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.broker.ArtemisTls;

import java.util.Locale;
import java.util.Properties;

/** The two brokers compared, and the JNDI environment the load tool needs for each. */
public enum BrokerKind {
    TUNNELMQ("TunnelMQ", "io.tunnelmq.jndi.TunnelInitialContextFactory"),
    ARTEMIS("Artemis", "org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory");

    public final String title;
    private final String contextFactory;

    BrokerKind(String title, String contextFactory) {
        this.title = title;
        this.contextFactory = contextFactory;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * JNDI for one scenario: the factory on {@code port}, {@code queue/bench}, {@code topic/bench} and
     * {@code queue/bench.reply} bound to physical names of the scenario's own, so no scenario sees another's
     * leftovers.
     */
    Properties jndi(int port, Scenario scenario) {
        return jndi(port, scenario, null);
    }

    /** {@link #jndi(int, Scenario)} through TLS with {@code tls}'s trust store (null: plain). */
    Properties jndi(int port, Scenario scenario, TlsKeys tls) {
        Properties p = new Properties();
        p.setProperty("java.naming.factory.initial", contextFactory);
        String url = url(port, scenario.noPrefetch.contains(this));
        p.setProperty("connectionFactory.ConnectionFactory", tls == null ? url : withTls(url, tls));
        String physical = "bench." + scenario.id;
        p.setProperty("queue.queue/bench", physical);
        p.setProperty("queue.queue/bench.reply", physical + ".reply");
        p.setProperty("topic.topic/bench", physical + ".topic");
        return p;
    }

    public String contextFactory() {
        return contextFactory;
    }

    public String url(int port, boolean noPrefetch) {
        return switch (this) {
            case TUNNELMQ -> "tmq://127.0.0.1:" + port + (noPrefetch ? "?prefetch=0" : "");
            // consumerWindowSize=0 is how Artemis keeps a competing consumer from being starved by a locked buffer
            case ARTEMIS -> "tcp://127.0.0.1:" + port + "?useEpoll=false" + (noPrefetch ? "&consumerWindowSize=0" : "");
        };
    }

    /** {@code url} through TLS, trusting the comparison's self-signed certificate. */
    String withTls(String url, TlsKeys tls) {
        return switch (this) {
            case TUNNELMQ -> url.replace("tmq://", "tmqs://") + (url.contains("?") ? "&" : "?") + "trustStore="
                    + tls.trustStore() + "&trustStorePassword=" + TlsKeys.PASSWORD;
            // the provider the broker's acceptor runs on (ArtemisTls): OpenSSL when Netty can load it, as TunnelMQ's
            case ARTEMIS -> url + "&sslEnabled=true&sslProvider=" + ArtemisTls.provider() + "&trustStoreType=PKCS12"
                    + "&trustStorePath=" + tls.trustStore() + "&trustStorePassword=" + TlsKeys.PASSWORD;
        };
    }

    public static BrokerKind parse(String id) {
        for (BrokerKind k : values()) {
            if (k.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown broker '" + id + "': tunnelmq or artemis");
    }
}
