package io.tunnelmq.server;

import io.tunnelmq.server.console.ConsoleSecurity;
import io.tunnelmq.server.console.WebConsole;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.http.HttpRoutes;
import io.tunnelmq.server.management.ActivitySummary;
import io.tunnelmq.server.management.BrokerHealth;
import io.tunnelmq.server.http.HttpServer;
import io.tunnelmq.server.management.JmxBeans;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.MessageStore;

import java.util.function.IntSupplier;

/**
 * How a broker shows itself while it starts and runs: its HTTP port ({@code /metrics}, {@code /health/ready} and
 * {@code /health/live} from the start: {@link BrokerHealth}), JMX beans and the log's
 * once-a-minute summary, over one
 * {@link Management}. Made in the order the broker starts: the HTTP port first (so a port that cannot open stops
 * the start before anything else ran), then the figures once the registry exists (before recovery, so recovered
 * queues are followed), then JMX once the broker knows its address.
 */
final class Monitoring implements AutoCloseable {
    private final HttpRoutes routes = new HttpRoutes();
    private final BrokerHealth health = BrokerHealth.serve(routes);
    private volatile IntSupplier connections = () -> 0;
    private HttpServer http;
    private Management management;
    private WebConsole console;
    private JmxBeans jmx;
    private ActivitySummary summary;

    private Monitoring() {
    }

    /** @throws io.tunnelmq.server.http.HttpListenException if the HTTP port the config asks for cannot open */
    static Monitoring open(BrokerConfig config) {
        Monitoring monitoring = new Monitoring();
        if (config.httpPort() != 0) {
            monitoring.http = HttpServer.start(config.host(), config.httpPort(), monitoring.routes);
        }
        return monitoring;
    }

    void follow(DestinationRegistry destinations, MemoryTracker memory, BrokerCounters counters, MessageStore store) {
        management = new Management(destinations, memory, counters, () -> connections.getAsInt(), store);
        health.follow(store);
        routes.add("/metrics", management.metricsRoute());
    }

    /** Serves the web console at {@code /}, letting in whom {@code security} lets in. */
    void console(ConsoleSecurity security) {
        console = WebConsole.serve(routes, management, security);
        management.consoleSessions(console::endSessionsOf);
    }

    void started(IntSupplier openConnections, String version, String url, String address) {
        connections = openConnections;
        jmx = JmxBeans.register(management, version, url, address);
        summary = ActivitySummary.start(management);
        health.started();
    }

    /** The broker begins to stop: it is no longer ready for new clients. */
    void stopping() {
        health.stopping();
    }

    Management management() {
        return management;
    }

    int httpPort() {
        return http == null ? 0 : http.localAddress().getPort();
    }

    @Override
    public void close() {
        if (summary != null) {
            summary.close();
        }
        if (jmx != null) {
            jmx.close();
        }
        if (http != null) {
            http.close();
        }
        if (console != null) {
            console.close();
        }
    }
}
