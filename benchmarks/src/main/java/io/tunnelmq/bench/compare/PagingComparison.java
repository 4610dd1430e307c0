package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.broker.BrokerCommand;
import io.tunnelmq.bench.paging.BacklogResult;
import io.tunnelmq.bench.paging.JournalFigures;
import io.tunnelmq.bench.paging.RssSampler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Runs the paging scenarios ({@link PagingScenario}) in phases: a broker in its own JVM (TunnelMQ as the standalone
 * broker, {@code io.tunnelmq.server.Broker}, with its default paging; Artemis with address-full-policy PAGE), each
 * phase ({@code backlog --phase ...}) in a fresh client JVM, the broker's resident memory sampled from
 * {@code /proc} meanwhile. The figures go to a {@link PagingTable}.
 */
final class PagingComparison {
    static final long MIB = 1024 * 1024;
    private static final long BROKER_START_MILLIS = 120_000;
    private static final long PHASE_TIMEOUT_MILLIS = 3_600_000;
    private static final String TUNNEL_READY = "TunnelMQ broker ";
    /** A fill whose sends all stay held this long, or a drain that gets nothing for it, ends there. */
    private static final String IDLE = "30s";

    private final CompareOptions options;
    private final PagingOptions paging;
    private final PagingTable table = new PagingTable();
    private boolean failed;

    PagingComparison(CompareOptions options) {
        this.options = options;
        this.paging = options.paging();
    }

    int run() throws IOException, InterruptedException {
        for (PagingScenario scenario : options.pagingScenarios()) {
            switch (scenario) {
                case BACKLOG_PERSISTENT, BACKLOG_NP -> backlog(scenario);
                case MIXED -> mixed();
                case RECOVERY -> recovery();
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Paging scenarios (%d CPUs; backlog %,d x %,d B with -Xmx%s, mixed %,d x 1 KiB "
                        + "for at most %d s, recovery %,d x 1 KiB with -Xmx%s; %d producers fill; Artemis pages past "
                        + "%,d bytes per address):%n", Runtime.getRuntime().availableProcessors(),
                paging.backlogMessages(), paging.backlogSize(), paging.smallHeap(), paging.mixedMessages(),
                paging.mixedDuration().toSeconds(), paging.recoveryMessages(), paging.recoveryHeap(),
                paging.fillProducers(), paging.artemisPageBytes());
        table.print(System.out);
        Path csv = options.csv().resolveSibling("compare-paging.csv");
        table.writeCsv(csv);
        System.out.println("CSV: " + csv.toAbsolutePath());
        return failed ? ExitCode.FAILED : ExitCode.OK;
    }

    /** Fill with no consumer, then one consumer drains in order; resident memory sampled throughout. */
    private void backlog(PagingScenario scenario) throws IOException, InterruptedException {
        double[][] figures = new double[BrokerKind.values().length][];
        for (BrokerKind kind : options.brokers()) {
            String name = scenario.id + "-" + kind.id();
            try (ChildJvm broker = startBroker(kind, name, paging.smallHeap(), name + "-data");
                 RssSampler rss = RssSampler.start(broker.pid(), Duration.ofMillis(250))) {
                BacklogResult fill = phase(kind, name, broker.port(), "fill", paging.backlogMessages(),
                        paging.backlogSize(), scenario.persistent, List.of());
                String paged = kind == BrokerKind.TUNNELMQ ? pagedNote(broker) : "";
                // a fill held for good still left a backlog: drain what was sent
                long toDrain = fill.ok() ? paging.backlogMessages() : fill.sent();
                BacklogResult drain = phase(kind, name, broker.port(), "drain", Math.max(1, toDrain),
                        paging.backlogSize(), scenario.persistent, List.of());
                boolean survived = survived(kind, broker, name);
                boolean orderOk = drain.ok() && drain.orderErrors() == 0 && drain.received() == toDrain;
                figures[kind.ordinal()] = new double[] {fill.sent(), fill.sendRate(), fill.failedSends(), drain.receiveRate(),
                        orderOk ? 1 : 0, rss.peakRss() / (double) MIB, rss.highWaterMark() / (double) MIB};
                table.note(String.format(Locale.ROOT, "%s %s: fill %s in %.1f s (%d failed sends%s)%s; drain %s in "
                                + "%.1f s, %d order errors%s; broker %s", scenario.id, kind.title,
                        fill.sent(), fill.seconds(), fill.failedSends(), fill.ok() ? "" : ", " + fill.error(), paged,
                        drain.received(), drain.seconds(), drain.orderErrors(), drain.ok() ? "" : ", " + drain.error(),
                        survived ? "survived" : "did NOT survive, see " + broker.log()));
                failed |= !fill.ok() || !drain.ok() || !orderOk || fill.failedSends() > 0 || !survived;
            }
        }
        String[] names = {"messages sent (of " + paging.backlogMessages() + ")", "send rate (msg/s)",
                "failed sends (must be 0)", "receive rate (msg/s)",
                "order ok (1 = all in order)", "broker peak RSS sampled (MiB)", "broker VmHWM (MiB)"};
        PagingTable.Better[] better = {PagingTable.Better.NEITHER, PagingTable.Better.HIGHER,
                PagingTable.Better.NEITHER, PagingTable.Better.HIGHER, PagingTable.Better.NEITHER,
                PagingTable.Better.LOWER, PagingTable.Better.LOWER};
        rows(scenario, figures, names, better);
    }

    /** A backlog first, then a producer and a consumer together; TunnelMQ's journal watched meanwhile. */
    private void mixed() throws IOException, InterruptedException {
        PagingScenario scenario = PagingScenario.MIXED;
        double[][] figures = new double[BrokerKind.values().length][];
        for (BrokerKind kind : options.brokers()) {
            String name = scenario.id + "-" + kind.id();
            try (ChildJvm broker = startBroker(kind, name, options.brokerHeap(), name + "-data");
                 RssSampler rss = RssSampler.start(broker.pid(), Duration.ofMillis(500))) {
                BacklogResult fill = phase(kind, name, broker.port(), "fill", paging.mixedMessages(), 1024, true,
                        List.of());
                JournalWatch journal = kind == BrokerKind.TUNNELMQ ? JournalWatch.start(broker) : null;
                BacklogResult mixed = phase(kind, name, broker.port(), "mixed", paging.mixedMessages(), 1024, true,
                        List.of("--duration", paging.mixedDuration().toMillis() + "ms"));
                if (journal != null) {
                    table.note("paging-mixed TunnelMQ journal: " + journal.stop(broker).describe());
                }
                boolean survived = survived(kind, broker, name);
                figures[kind.ordinal()] = new double[] {fill.seconds(), fill.sendRate(), mixed.receiveRate(),
                        mixed.sendRate(), mixed.seconds(), mixed.left(), rss.highWaterMark() / (double) MIB};
                table.note(String.format(Locale.ROOT, "paging-mixed %s: fill %d in %.1f s (%d failed%s); together "
                                + "%.1f s: received %d, sent %d, %d left%s; broker %s", kind.title, fill.sent(),
                        fill.seconds(), fill.failedSends(), fill.ok() ? "" : ", " + fill.error(), mixed.seconds(),
                        mixed.received(), mixed.sent(), mixed.left(), mixed.ok() ? "" : ", " + mixed.error(),
                        survived ? "survived" : "did NOT survive, see " + broker.log()));
                failed |= !fill.ok() || !mixed.ok() || !survived;
            }
        }
        String[] names = {"backlog fill time (s)", "backlog fill rate (msg/s)", "consumer rate while draining (msg/s)",
                "producer rate meanwhile (msg/s)", "producer+consumer phase (s)", "left queued at the end",
                "broker VmHWM (MiB)"};
        PagingTable.Better[] better = {PagingTable.Better.LOWER, PagingTable.Better.HIGHER, PagingTable.Better.HIGHER,
                PagingTable.Better.HIGHER, PagingTable.Better.NEITHER, PagingTable.Better.NEITHER,
                PagingTable.Better.LOWER};
        rows(scenario, figures, names, better);
    }

    /** TunnelMQ only: fill, stop cleanly, start again on the same journal; time to ready and to a first message. */
    private void recovery() throws IOException, InterruptedException {
        if (!options.brokers().contains(BrokerKind.TUNNELMQ)) {
            return;
        }
        String name = PagingScenario.RECOVERY.id + "-tunnelmq";
        String data = name + "-data";
        BacklogResult fill;
        try (ChildJvm broker = startBroker(BrokerKind.TUNNELMQ, name + "-fill", paging.recoveryHeap(), data)) {
            fill = phase(BrokerKind.TUNNELMQ, name, broker.port(), "fill", paging.recoveryMessages(), 1024, true,
                    List.of());
            broker.terminate(60_000);
        }
        FirstMessage.warmUp(jndi(BrokerKind.TUNNELMQ, 1, name)); // the client's classes loaded before the clock starts
        long e0 = System.nanoTime();
        double emptyReady;
        // the same start on an empty journal: what JVM and broker start-up take on this machine without a backlog
        try (ChildJvm empty = startBroker(BrokerKind.TUNNELMQ, name + "-empty", paging.recoveryHeap(), name + "-empty")) {
            emptyReady = (System.nanoTime() - e0) / 1e9;
            empty.terminate(60_000);
        }
        long t0 = System.nanoTime();
        try (ChildJvm broker = startBroker(BrokerKind.TUNNELMQ, name, paging.recoveryHeap(), data)) {
            double ready = (System.nanoTime() - t0) / 1e9;
            Properties jndi = jndi(BrokerKind.TUNNELMQ, broker.port(), name);
            boolean got = FirstMessage.receive(jndi, Duration.ofSeconds(120));
            double first = (System.nanoTime() - t0) / 1e9;
            String recovered = broker.logText().lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("recover"))
                    .reduce((a, b) -> a + " / " + b).orElse("no recovery line in its log");
            table.add(PagingScenario.RECOVERY.id, "process start to accepting connections, empty journal (s)",
                    emptyReady, Double.NaN, PagingTable.Better.NEITHER);
            table.add(PagingScenario.RECOVERY.id, "process start to accepting connections (s)", ready, Double.NaN,
                    PagingTable.Better.NEITHER);
            table.add(PagingScenario.RECOVERY.id, "process start to first message received (s; target < 10)",
                    got ? first : Double.NaN, Double.NaN, PagingTable.Better.NEITHER);
            table.note(String.format(Locale.ROOT, "recovery-1m: journal filled with %d x 1 KiB in %.1f s (%d failed); "
                    + "broker log: %s", fill.sent(), fill.seconds(), fill.failedSends(), recovered));
            failed |= !fill.ok() || !got;
            broker.terminate(60_000);
        }
    }

    private void rows(PagingScenario scenario, double[][] figures, String[] names, PagingTable.Better[] better) {
        for (int i = 0; i < names.length; i++) {
            double[] t = figures[BrokerKind.TUNNELMQ.ordinal()];
            double[] a = figures[BrokerKind.ARTEMIS.ordinal()];
            table.add(scenario.id, names[i], t == null ? Double.NaN : t[i], a == null ? Double.NaN : a[i], better[i]);
        }
    }

    private String pagedNote(ChildJvm broker) {
        String metrics = JournalWatch.scrape(broker);
        double paged = JournalFigures.metric(metrics, "tunnelmq_queue_messages_paged").orElse(Double.NaN);
        double used = JournalFigures.metric(metrics, "tunnelmq_memory_used_bytes").orElse(Double.NaN);
        double limit = JournalFigures.metric(metrics, "tunnelmq_memory_limit_bytes").orElse(Double.NaN);
        return String.format(Locale.ROOT, ", %,.0f paged after the fill, broker memory used %,.0f of %,.0f bytes",
                paged, used, limit);
    }

    private boolean survived(BrokerKind kind, ChildJvm broker, String name) throws IOException {
        return broker.alive() && !broker.logText().contains("OutOfMemoryError");
    }

    /**
     * Starts a broker with {@code heap}: TunnelMQ as its standalone broker with defaults (and metrics on an HTTP
     * port), Artemis with paging past {@link PagingOptions#artemisPageBytes()}.
     */
    private ChildJvm startBroker(BrokerKind kind, String name, String heap, String dataDir) throws IOException,
            InterruptedException {
        System.err.println("== " + name + " (-Xmx" + heap + ") ==");
        int port = ChildJvm.freePort();
        Path data = options.workDir().resolve(dataDir);
        Path log = options.workDir().resolve(name + "-broker.log");
        List<String> jvm = new ArrayList<>(ChildJvm.preTouchedHeap(heap));
        jvm.add("-Xlog:gc:file=" + options.workDir().resolve(name + "-broker-gc.log").toAbsolutePath());
        ChildJvm broker;
        String ready;
        if (kind == BrokerKind.TUNNELMQ) {
            int httpPort = ChildJvm.freePort();
            List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--http-port", Integer.toString(httpPort), "--data", data.toString()));
            if (paging.tunnelConfig() != null) {
                args.addAll(List.of("--config", paging.tunnelConfig().toString()));
            }
            jvm.add("-Dorg.slf4j.simpleLogger.log.io.tunnelmq.server=info"); // recovery and compaction lines
            broker = ChildJvm.start("tunnelmq broker", jvm, "io.tunnelmq.server.Broker", args, log, false, port);
            ready = TUNNEL_READY;
        } else {
            jvm.add("-Dorg.slf4j.simpleLogger.log.org.apache.activemq.artemis.core.server=info");
            broker = ChildJvm.start("artemis broker", jvm, List.of("broker", "artemis", "--port",
                    Integer.toString(port), "--data", data.toString(), "--page-max-bytes",
                    Long.toString(paging.artemisPageBytes())), log, false, port);
            ready = BrokerCommand.READY;
        }
        System.err.println(broker.awaitReady(ready, BROKER_START_MILLIS));
        return broker;
    }

    /** One phase in a fresh client JVM; its result line, or a failed result saying why there is none. */
    private BacklogResult phase(BrokerKind kind, String name, int port, String phase, long messages, int size,
                                boolean persistent, List<String> extra) throws IOException, InterruptedException {
        Path jndiFile = options.workDir().resolve(name + ".jndi.properties");
        try (OutputStream out = Files.newOutputStream(jndiFile)) {
            jndi(kind, port, name).store(out, "JNDI for " + name);
        }
        List<String> args = new ArrayList<>(List.of("backlog", "--jndi", jndiFile.toString(), "--phase", phase,
                "--messages", Long.toString(messages), "--size", Integer.toString(size), "--producers",
                Integer.toString(paging.fillProducers()), "--idle", IDLE));
        if (persistent) {
            args.add("--persistent");
        }
        args.addAll(extra);
        Path log = options.workDir().resolve(name + "-" + phase + ".log");
        System.err.println("-- " + name + ": " + phase + " " + messages);
        try (ChildJvm client = ChildJvm.start(name + " " + phase, List.of("-Xmx" + options.clientHeap()), args, log,
                true, 0)) {
            client.await(PHASE_TIMEOUT_MILLIS);
        } catch (IllegalStateException e) {
            return BacklogResult.failed(phase, e.getMessage());
        }
        return Files.readAllLines(log).stream().filter(l -> l.startsWith(BacklogResult.PREFIX))
                .reduce((a, b) -> b).map(BacklogResult::parse)
                .orElse(BacklogResult.failed(phase, "the phase printed no result; see " + log));
    }

    /** JNDI for a paging run: the broker's factory (default prefetch and window) and a queue of the run's own. */
    static Properties jndi(BrokerKind kind, int port, String name) {
        Properties p = new Properties();
        p.setProperty("java.naming.factory.initial", kind.contextFactory());
        p.setProperty("connectionFactory.ConnectionFactory", kind.url(port, false));
        p.setProperty("queue.queue/bench", "bench." + name.replace("-" + kind.id(), ""));
        return p;
    }
}
