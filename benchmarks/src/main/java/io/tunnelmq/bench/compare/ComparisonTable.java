package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison's result: one row per scenario with both brokers' figures, TunnelMQ's advantage (a ratio above 1
 * means TunnelMQ is better: more messages per second, or a shorter latency) and the target.
 */
final class ComparisonTable {
    static final List<String> CSV_HEADER = List.of("scenario", "description", "unit", "tunnelmq", "artemis",
            "advantage", "target", "met", "note");
    static final String NOT_DURABLE = "NOT DURABLE YET";
    /** Issue 14: TLS within 30 % of plain. */
    static final double TLS_TARGET = 0.7;

    private final Map<Scenario, Map<BrokerKind, LoadResult>> results;
    private final List<BrokerKind> brokers;
    private final boolean tunnelDurable;
    private final Map<Scenario, List<String>> runNotes;

    ComparisonTable(Map<Scenario, Map<BrokerKind, LoadResult>> results, List<BrokerKind> brokers,
                    boolean tunnelDurable) {
        this(results, brokers, tunnelDurable, Map.of());
    }

    /**
     * @param runNotes what the runs saw besides the load tool's figures (TLS providers, scrapes, hostile peers,
     *                 whether the broker survived), shown after the table's own notes of the scenario
     */
    ComparisonTable(Map<Scenario, Map<BrokerKind, LoadResult>> results, List<BrokerKind> brokers,
                    boolean tunnelDurable, Map<Scenario, List<String>> runNotes) {
        this.results = results;
        this.brokers = brokers;
        this.tunnelDurable = tunnelDurable;
        this.runNotes = runNotes;
    }

    void print(PrintStream out) {
        String format = "%-24s %-15s %14s %14s %10s  %-34s %-5s%n";
        out.printf(Locale.ROOT, format, "scenario", "unit", "TunnelMQ", "Artemis", "advantage", "target", "met");
        List<String> notes = new ArrayList<>();
        for (Row row : rows()) {
            out.printf(Locale.ROOT, format, row.scenario.id, row.scenario.metric.unit, row.tunnel, row.artemis,
                    row.advantage, row.scenario.target, row.met);
            if (!row.note.isEmpty()) {
                notes.add(row.scenario.id + ": " + row.note);
            }
        }
        out.println();
        for (Scenario s : results.keySet()) {
            out.println("  " + s.id + " = " + s.description);
        }
        for (String note : notes) {
            out.println("  NOTE " + note);
        }
        out.flush();
    }

    List<List<String>> csvRows() {
        return rows().stream().map(r -> List.of(r.scenario.id, r.scenario.description, r.scenario.metric.unit,
                r.tunnel.replace(",", ""), r.artemis.replace(",", ""), r.advantage, r.scenario.target, r.met,
                r.note)).toList();
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        results.forEach((scenario, byBroker) -> rows.add(row(scenario, byBroker)));
        return rows;
    }

    private Row row(Scenario scenario, Map<BrokerKind, LoadResult> byBroker) {
        LoadResult tunnel = byBroker.get(BrokerKind.TUNNELMQ);
        LoadResult artemis = byBroker.get(BrokerKind.ARTEMIS);
        List<String> notes = new ArrayList<>();
        for (BrokerKind kind : brokers) {
            LoadResult r = byBroker.get(kind);
            if (r != null && !r.ok()) {
                notes.add(kind.title + " FAILED: " + r.error());
            }
        }
        if (scenario.fixedRate()) {
            for (BrokerKind kind : brokers) {
                String behind = fellBehind(byBroker.get(kind));
                if (behind != null) {
                    notes.add(kind.title + " " + behind);
                }
            }
        }
        boolean persistentNotDurable = scenario == Scenario.PERSISTENT && tunnel != null && !tunnelDurable;
        if (persistentNotDurable) {
            notes.add("TunnelMQ " + NOT_DURABLE + ": it keeps persistent messages in memory (its broker reports no "
                    + "journal); Artemis writes its journal");
        }
        String advantage = "-";
        String met = "-";
        if (usable(tunnel) && usable(artemis)) {
            double t = figure(scenario, tunnel);
            double a = figure(scenario, artemis);
            double ratio = scenario.metric.higherIsBetter ? t / a : a / t;
            advantage = String.format(Locale.ROOT, "%.2f×", ratio);
            boolean ok = ratio >= scenario.targetRatio
                    && (scenario != Scenario.PERSISTENT || t >= 2_000);
            met = !scenario.hasTarget() ? "-" : persistentNotDurable ? "n/a" : ok ? "yes" : "no";
        }
        if (brokers.contains(BrokerKind.ARTEMIS) && !scenario.setup.runsOn(BrokerKind.ARTEMIS)) {
            notes.add("Artemis not run: " + scenario.setup.artemisNotRun);
        }
        if (scenario.twin() != null && results.containsKey(scenario.twin())) {
            // TLS, a scraper, hostile peers: what they cost is this run against its twin on the same broker
            Map<BrokerKind, LoadResult> twin = results.get(scenario.twin());
            List<String> ratios = new ArrayList<>();
            for (BrokerKind kind : brokers) {
                LoadResult with = byBroker.get(kind);
                LoadResult without = twin.get(kind);
                if (usable(with) && usable(without)) {
                    double ratio = figure(scenario, with) / figure(scenario, without);
                    ratios.add(String.format(Locale.ROOT, "%s %.2f", kind.title, ratio));
                    if (scenario.tls && kind == BrokerKind.TUNNELMQ) {
                        met = ratio >= TLS_TARGET ? "yes" : "no";
                    }
                }
            }
            if (!ratios.isEmpty()) {
                notes.add(scenario.setup.ratioName + " " + String.join(", ", ratios)
                        + (scenario.tls ? " (target for TunnelMQ ≥ " + TLS_TARGET + ")" : ""));
            }
        }
        if (scenario.setup.smallHeap()) {
            for (BrokerKind kind : brokers) {
                LoadResult r = byBroker.get(kind);
                if (usable(r)) {
                    notes.add(String.format(Locale.ROOT, "%s round trip p50/p95/p99/max %.2f / %.2f / %.2f / %.2f ms",
                            kind.title, r.p50Micros() / 1e3, r.p95Micros() / 1e3, r.p99Micros() / 1e3,
                            r.maxMicros() / 1e3));
                }
            }
        }
        if (scenario.setup == Setup.HOSTILE_PEERS) {
            // an absolute target: the normal client's p99 while the peers attack, on a broker that survives
            met = usable(tunnel) ? figure(scenario, tunnel) < Scenario.HOSTILE_P99_TARGET_MILLIS ? "yes" : "no"
                    : tunnel == null ? "-" : "no";
        }
        notes.addAll(runNotes.getOrDefault(scenario, List.of()));
        return new Row(scenario, show(scenario, tunnel), show(scenario, artemis), advantage, met,
                String.join("; ", notes));
    }

    /**
     * Why a fixed-rate run's latency is not a shallow queue's: its consumers received less than they were sent in
     * the measured window, so the queue grew and the latency is the backlog's age. Null when they kept up.
     */
    static String fellBehind(LoadResult r) {
        if (!usable(r) || r.received() >= Scenario.KEPT_UP * r.sent()) {
            return null;
        }
        return String.format(Locale.ROOT, "fell behind: received %,.0f of %,.0f msg/s sent; the queue grew by %,d "
                        + "messages in the measured %.1f s, so its latency is a growing backlog's, not a shallow "
                        + "queue's", r.receivedPerSecond(), r.sentPerSecond(), r.sent() - r.received(), r.seconds());
    }

    private static boolean usable(LoadResult r) {
        return r != null && r.ok() && r.received() > 0;
    }

    static double figure(Scenario scenario, LoadResult r) {
        return switch (scenario.metric) {
            case RECEIVED_RATE -> r.receivedPerSecond();
            case SENT_RATE -> r.sentPerSecond();
            case P50_LATENCY -> r.p50Micros() / 1000.0;
            case P99_LATENCY -> r.p99Micros() / 1000.0;
        };
    }

    private String show(Scenario scenario, LoadResult r) {
        if (r == null) {
            return "not run";
        }
        if (!r.ok()) {
            return "FAILED";
        }
        double f = figure(scenario, r);
        String text = !scenario.metric.higherIsBetter
                ? String.format(Locale.ROOT, "%.3f", f) : String.format(Locale.ROOT, "%,.0f", f);
        return scenario == Scenario.PERSISTENT && r == results.get(scenario).get(BrokerKind.TUNNELMQ)
                && !tunnelDurable ? text + "*" : text;
    }

    private record Row(Scenario scenario, String tunnel, String artemis, String advantage, String met, String note) {
    }
}
