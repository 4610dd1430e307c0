package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.broker.BrokerCommand;
import io.tunnelmq.bench.compare.BrokerKind;
import io.tunnelmq.bench.compare.ChildJvm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Brokers for the scale runs, started as {@code compare} starts them: {@code benchmarks.jar broker <kind>} in a JVM of
 * its own (journal or Artemis's defaults, 127.0.0.1, a free port), ready once it prints {@link BrokerCommand#READY};
 * and the JNDI file a client JVM needs to reach one.
 */
final class ScaleBrokers {
    private static final long BROKER_START_MILLIS = 90_000;

    private final Path work;
    private final String heap;
    private final int maxConnections;

    /**
     * @param maxConnections connections TunnelMQ must hold at once, all from 127.0.0.1 (its defaults, 4,096 in all
     *                       and 512 per address, protect a broker on a network; Artemis has no limit by default)
     */
    ScaleBrokers(Path work, String heap, int maxConnections) {
        this.work = work;
        this.heap = heap;
        this.maxConnections = maxConnections;
    }

    /** A fresh broker of {@code kind} named {@code name} (its data and log in the work directory). */
    ChildJvm start(BrokerKind kind, String name) throws IOException, InterruptedException {
        System.err.println("== " + name + " ==");
        int port = ChildJvm.freePort();
        ChildJvm broker = ChildJvm.start(kind.id() + " broker",
                Stream.concat(ChildJvm.preTouchedHeap(heap).stream(), Stream.of(
                        // the heap readings force full collections: their pauses belong next to what clients saw
                        "-Xlog:gc:file=" + work.resolve(name + "-broker-gc.log").toAbsolutePath(),
                        // what the brokers say at start (storage, journal) belongs in their logs
                        "-Dorg.slf4j.simpleLogger.log.io.tunnelmq.server=info",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.activemq.artemis.core.server=info")).toList(),
                args(kind, port, name),
                work.resolve(name + "-broker.log"), false, port);
        System.err.println(broker.awaitReady(BrokerCommand.READY, BROKER_START_MILLIS));
        return broker;
    }

    private List<String> args(BrokerKind kind, int port, String name) {
        List<String> args = new ArrayList<>(List.of("broker", kind.id(), "--port", Integer.toString(port),
                "--data", work.resolve(name + "-data").toString()));
        switch (kind) {
            case TUNNELMQ -> args.addAll(List.of("--max-connections", Integer.toString(maxConnections)));
            case ARTEMIS -> {
                // its acceptor takes any number of connections unless connectionsAllowed says otherwise
            }
        }
        return args;
    }

    /**
     * Writes the JNDI file of a client of {@code broker}: the broker's factory with its default prefetch or window,
     * {@code queue/bench} bound to {@code queue} (the load tool's queue; the scale clients name theirs).
     */
    Path jndi(BrokerKind kind, ChildJvm broker, String name, String queue) throws IOException {
        Properties p = new Properties();
        p.setProperty("java.naming.factory.initial", kind.contextFactory());
        p.setProperty("connectionFactory.ConnectionFactory", kind.url(broker.port(), false));
        p.setProperty("queue.queue/bench", queue);
        Path file = work.resolve(name + ".jndi.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "JNDI for " + name);
        }
        return file;
    }

}
