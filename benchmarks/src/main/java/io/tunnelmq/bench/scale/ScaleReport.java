package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.compare.BrokerKind;
import io.tunnelmq.bench.load.LoadResult;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;

/** Turns what the scale runs measured into the table: issue 19's scale targets, TunnelMQ beside Artemis. */
final class ScaleReport {
    /** Issue 19: at most 4 KiB of broker heap per idle connection at 10,000. */
    static final double HEAP_TARGET_KIB = 4;
    /** Issue 19: at least 1,000 connections (with session and consumer) opened per second. */
    static final double OPEN_TARGET = 1_000;
    /** Issue 19: the busy pair keeps 90 % of its throughput beside the idle connections. */
    static final double KEPT_TARGET = 0.9;
    /** Issue 19: p99 under 10 ms with 1,000 queues. */
    static final double P99_TARGET_MS = 10;
    /** Producers below this fraction of their rate, or listeners below it of what was sent, fell behind. */
    static final double KEPT_UP = 0.95;

    private ScaleReport() {
    }

    static ScaleTable table(ScaleOptions options, Map<BrokerKind, IdleFigures> idle,
                            Map<BrokerKind, LoadResult> queues) {
        ScaleTable table = new ScaleTable();
        if (!idle.isEmpty()) {
            String n = String.format(Locale.ROOT, "%,d", options.connections());
            // a broker that fell over before holding them all misses the targets, whatever its figures so far
            IdleFigures tunnel = idle.get(BrokerKind.TUNNELMQ);
            boolean all = tunnel != null && tunnel.open() != null && tunnel.open().ok();
            table.add(row(idle, "idle-heap", "KiB/connection", IdleFigures::heapPerConnectionKib,
                    ScaleTable.Better.LOWER, 2, "≤ 4 KiB at " + n, v -> all && v <= HEAP_TARGET_KIB));
            table.add(row(idle, "idle-open-rate", "connections/s", IdleFigures::openRate, ScaleTable.Better.HIGHER, 0,
                    "≥ 1,000/s", v -> all && v >= OPEN_TARGET));
            table.add(row(idle, "pair-alone", "msg/s", IdleFigures::aloneRate, ScaleTable.Better.HIGHER, 0,
                    "reported", null));
            table.add(row(idle, "pair-beside-idle", "msg/s", IdleFigures::besideRate, ScaleTable.Better.HIGHER, 0,
                    "reported", null));
            table.add(row(idle, "pair-kept", "beside/alone", IdleFigures::kept, ScaleTable.Better.HIGHER, 2,
                    "≥ 0.90", v -> all && v >= KEPT_TARGET));
            table.note(String.format(Locale.ROOT, "idle-* = %s connections, each started with one AUTO_ACKNOWLEDGE "
                            + "session and one consumer on %s, opened from %d client threads in one client JVM; heap = "
                            + "growth of the broker's used heap after full GCs (read over JMX) / connections opened",
                    n, options.layout() == ScaleOptions.Layout.SHARED ? "one shared queue (scale.idle)"
                            : "a queue of its own (scale.idle.<i>; the heap includes the queue)",
                    options.openThreads()));
            table.note("pair-* = np " + options.size() + " B 1->1 AUTO_ACKNOWLEDGE (the load tool in a fresh JVM, "
                    + "warm-up " + seconds(options.warmup()) + ", measured " + seconds(options.duration())
                    + "), alone, beside the idle connections, alone again after they closed, on the same broker; "
                    + "pair-alone is the better of the two runs alone");
            if (idle.containsKey(BrokerKind.TUNNELMQ)) {
                table.note("TunnelMQ runs with maxConnections and maxConnectionsPerAddress raised to hold them all "
                        + "(its defaults, 4,096 and 512, refuse more: every client here comes from 127.0.0.1)");
            }
            idle.forEach((kind, figures) -> table.note(figures.describe(kind.title)));
        }
        if (!queues.isEmpty()) {
            table.add(row(queues, "queues-p99", "ms", r -> ms(r, r.p99Micros()), ScaleTable.Better.LOWER, 3,
                    "< 10 ms", v -> v < P99_TARGET_MS));
            table.add(row(queues, "queues-p50", "ms", r -> ms(r, r.p50Micros()), ScaleTable.Better.LOWER, 3,
                    "reported", null));
            table.add(row(queues, "queues-p99.9", "ms", r -> ms(r, r.p999Micros()), ScaleTable.Better.LOWER, 3,
                    "reported", null));
            table.add(row(queues, "queues-max", "ms", r -> ms(r, r.maxMicros()), ScaleTable.Better.LOWER, 3,
                    "reported", null));
            table.add(row(queues, "queues-received", "msg/s", r -> r.seconds() > 0 ? r.receivedPerSecond() : Double.NaN,
                    ScaleTable.Better.HIGHER, 0, String.format(Locale.ROOT, "%,d (sent)",
                            (long) options.queues() * options.rate()), null));
            table.note(String.format(Locale.ROOT, "queues-* = %,d queues scale.q.<i>, each with one connection holding "
                            + "a producer session (%s %d B at %d msg/s, from %d scheduler threads) and a consumer "
                            + "session with a MessageListener; latency from the intended send time to the listener",
                    options.queues(), options.persistent() ? "persistent" : "non-persistent", options.size(),
                    options.rate(), options.sendThreads()));
            double intended = (double) options.queues() * options.rate();
            queues.forEach((kind, r) -> table.note(String.format(Locale.ROOT, "%s queues: sent %,d, received %,d in "
                            + "%.1f s%s%s%s", kind.title, r.sent(), r.received(), r.seconds(),
                    r.sentPerSecond() < KEPT_UP * intended ? String.format(Locale.ROOT, "; the producers sent only "
                            + "%.0f %% of the %,.0f msg/s meant: the client JVM or the machine fell behind (latency "
                            + "counts from the intended send time)", 100 * r.sentPerSecond() / intended, intended) : "",
                    r.receivedPerSecond() < KEPT_UP * r.sentPerSecond() ? String.format(Locale.ROOT, "; the listeners "
                            + "received only %.0f %% of what was sent: a backlog grew, so the latency is its age",
                            100 * r.receivedPerSecond() / r.sentPerSecond()) : "",
                    r.ok() ? "" : "; FAILED: " + r.error())));
        }
        return table;
    }

    private static <F> ScaleTable.Row row(Map<BrokerKind, F> figures, String scenario, String unit,
                                          ToDoubleFunction<F> value, ScaleTable.Better better, int decimals,
                                          String target, DoublePredicate met) {
        return new ScaleTable.Row(scenario, unit, value(figures, BrokerKind.TUNNELMQ, value),
                value(figures, BrokerKind.ARTEMIS, value), better, decimals, target, met);
    }

    private static <F> double value(Map<BrokerKind, F> figures, BrokerKind kind, ToDoubleFunction<F> value) {
        F f = figures.get(kind);
        return f == null ? Double.NaN : value.applyAsDouble(f);
    }

    private static double ms(LoadResult r, double micros) {
        return r.latencySamples() > 0 ? micros / 1000 : Double.NaN;
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
