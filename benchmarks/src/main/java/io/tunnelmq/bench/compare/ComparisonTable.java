package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison's result: one row per scenario with both brokers' figures, TunnelMQ's advantage (a ratio above 1
 * means TunnelMQ is better: more messages per second, or a shorter latency) and the target; a latency scenario
 * whose target also names the p99 gets a second row for it. A scenario run several times shows every run's figures and
 * ratio, and meets its target only when every run does.
 */
final class ComparisonTable {
    static final List<String> CSV_HEADER = List.of("scenario", "description", "unit", "tunnelmq", "artemis",
            "advantage", "target", "met", "note");
    static final String NOT_DURABLE = "NOT DURABLE YET";
    /** Issue 14: TLS within 30 % of plain. */
    static final double TLS_TARGET = 0.7;
    /** Between the figures and the ratios of a scenario's runs. */
    static final String RUNS = " / ";

    private final Map<Scenario, List<Map<BrokerKind, LoadResult>>> results;
    private final List<BrokerKind> brokers;
    private final boolean tunnelDurable;
    private final Map<Scenario, List<String>> runNotes;

    /**
     * @param results  every scenario with its runs, in order; each run maps a broker to its result
     * @param runNotes what the runs saw besides the load tool's figures (TLS providers, scrapes, hostile peers,
     *                 whether the broker survived, fsync probes), shown after the table's own notes of the scenario
     */
    ComparisonTable(Map<Scenario, List<Map<BrokerKind, LoadResult>>> results, List<BrokerKind> brokers,
                    boolean tunnelDurable, Map<Scenario, List<String>> runNotes) {
        this.results = results;
        this.brokers = brokers;
        this.tunnelDurable = tunnelDurable;
        this.runNotes = runNotes;
    }

    /** One run of each scenario. */
    static ComparisonTable oneRun(Map<Scenario, Map<BrokerKind, LoadResult>> results, List<BrokerKind> brokers,
                                  boolean tunnelDurable) {
        return oneRun(results, brokers, tunnelDurable, Map.of());
    }

    /** One run of each scenario, with notes. */
    static ComparisonTable oneRun(Map<Scenario, Map<BrokerKind, LoadResult>> results, List<BrokerKind> brokers,
                                  boolean tunnelDurable, Map<Scenario, List<String>> runNotes) {
        return new ComparisonTable(oneRunEach(results), brokers, tunnelDurable, runNotes);
    }

    private static Map<Scenario, List<Map<BrokerKind, LoadResult>>> oneRunEach(
            Map<Scenario, Map<BrokerKind, LoadResult>> results) {
        Map<Scenario, List<Map<BrokerKind, LoadResult>>> runs = new LinkedHashMap<>();
        results.forEach((scenario, row) -> runs.put(scenario, List.of(row)));
        return runs;
    }

    void print(PrintStream out) {
        List<Row> rows = rows();
        // several runs' figures are wider than one's
        int figures = Math.max(14, rows.stream().mapToInt(r -> Math.max(r.tunnel.length(), r.artemis.length()))
                .max().orElse(0));
        int advantage = Math.max(10, rows.stream().mapToInt(r -> r.advantage.length()).max().orElse(0));
        int target = Math.max(34, rows.stream().mapToInt(r -> r.target.length()).max().orElse(0));
        // two spaces between the figures: a repeated scenario's columns hold "a / b / c"
        String format = "%-24s %-15s %" + figures + "s  %" + figures + "s  %" + advantage + "s  %-" + target
                + "s %-5s%n";
        out.printf(Locale.ROOT, format, "scenario", "unit", "TunnelMQ", "Artemis", "advantage", "target", "met");
        List<String> notes = new ArrayList<>();
        for (Row row : rows) {
            out.printf(Locale.ROOT, format, row.name, row.unit, row.tunnel, row.artemis, row.advantage, row.target,
                    row.met);
            if (!row.note.isEmpty()) {
                notes.add(row.name + ": " + row.note);
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
        return rows().stream().map(r -> List.of(r.name, r.description, r.unit, r.tunnel.replace(",", ""),
                r.artemis.replace(",", ""), r.advantage, r.target, r.met, r.note)).toList();
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        results.forEach((scenario, runs) -> rows.addAll(rows(scenario, runs)));
        return rows;
    }

    private List<Row> rows(Scenario scenario, List<Map<BrokerKind, LoadResult>> runs) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String run = runs.size() > 1 ? "run " + (i + 1) + ": " : "";
            for (BrokerKind kind : brokers) {
                LoadResult r = runs.get(i).get(kind);
                if (r != null && !r.ok()) {
                    notes.add(run + kind.title + " FAILED: " + r.error());
                }
                String behind = scenario.fixedRate() ? fellBehind(r) : null;
                if (behind != null) {
                    notes.add(run + kind.title + " " + behind);
                }
            }
        }
        boolean notDurable = scenario.persistent() && !tunnelDurable
                && runs.stream().anyMatch(r -> r.containsKey(BrokerKind.TUNNELMQ));
        if (notDurable) {
            notes.add("TunnelMQ " + NOT_DURABLE + ": it keeps persistent messages in memory (its broker reports no "
                    + "journal); Artemis writes its journal");
        }
        Ratios main = ratios(runs, r -> figure(scenario, r), scenario.metric.higherIsBetter);
        Ratios p99 = ratios(runs, LoadResult::p99Micros, false);
        Target target = scenario.target;
        String met = "-";
        if (target.any() && main.complete()) {
            boolean ok = true;
            for (int i = 0; i < runs.size(); i++) {
                ok &= main.ratios.get(i) >= target.ratio()
                        && figure(scenario, runs.get(i).get(BrokerKind.TUNNELMQ)) >= target.minimum()
                        && (target.p99Ratio() == 0 || (p99.complete() && p99.ratios.get(i) >= target.p99Ratio()));
            }
            met = notDurable || runs.size() < target.runs() ? "n/a" : ok ? "yes" : "no";
        }
        if (target.any() && runs.size() < target.runs()) {
            notes.add("the target asks for " + target.runs() + " runs, this comparison ran " + runs.size()
                    + " (--repeat)");
        }
        if (brokers.contains(BrokerKind.ARTEMIS) && !scenario.setup.runsOn(BrokerKind.ARTEMIS)) {
            notes.add("Artemis not run: " + scenario.setup.artemisNotRun);
        }
        String twinMet = twinRatios(scenario, runs, notes);
        if (twinMet != null) {
            met = twinMet;
        }
        if (scenario.setup.smallHeap()) {
            forEachUsable(runs, (kind, r) -> notes.add(String.format(Locale.ROOT,
                    "%s round trip p50/p95/p99/max %.2f / %.2f / %.2f / %.2f ms", kind.title, r.p50Micros() / 1e3,
                    r.p95Micros() / 1e3, r.p99Micros() / 1e3, r.maxMicros() / 1e3)));
        }
        if (scenario.setup == Setup.HOSTILE_PEERS) {
            // an absolute target: the normal client's p99 while the peers attack, on a broker that survives
            met = hostileMet(scenario, runs);
        }
        notes.addAll(runNotes.getOrDefault(scenario, List.of()));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(scenario.id, scenario.description, scenario.metric.unit,
                figures(runs, BrokerKind.TUNNELMQ, r -> show(scenario, r, notDurable)),
                figures(runs, BrokerKind.ARTEMIS, r -> show(scenario, r, false)), main.text(), target.text(), met,
                String.join("; ", notes)));
        if (target.p99Ratio() > 0) {
            String p99Met = !p99.complete() ? "-" : runs.size() < target.runs() ? "n/a"
                    : p99.ratios.stream().allMatch(x -> x >= target.p99Ratio()) ? "yes" : "no";
            rows.add(new Row(scenario.id + " (p99)", "p99 of " + scenario.id, "p99 ms",
                    figures(runs, BrokerKind.TUNNELMQ, ComparisonTable::p99), figures(runs, BrokerKind.ARTEMIS,
                    ComparisonTable::p99), p99.text(), target.p99Text(),
                    p99Met, ""));
        }
        return rows;
    }

    /**
     * TLS, a scraper, hostile peers, AppCDS, more producers: what they change is this scenario's run against its
     * twin's run of the same index on the same broker; noted, and for TLS the target's "met" (null: not TLS).
     */
    private String twinRatios(Scenario scenario, List<Map<BrokerKind, LoadResult>> runs, List<String> notes) {
        Scenario twin = scenario.twin();
        if (twin == null || !results.containsKey(twin)) {
            return null;
        }
        List<Map<BrokerKind, LoadResult>> twinRuns = results.get(twin);
        List<String> ratios = new ArrayList<>();
        String met = null;
        for (BrokerKind kind : brokers) {
            List<String> each = new ArrayList<>();
            boolean allMeet = true;
            for (int i = 0; i < Math.min(runs.size(), twinRuns.size()); i++) {
                LoadResult with = runs.get(i).get(kind);
                LoadResult without = twinRuns.get(i).get(kind);
                if (usable(with) && usable(without)) {
                    double ratio = figure(scenario, with) / figure(scenario, without);
                    each.add(String.format(Locale.ROOT, "%.2f", ratio));
                    allMeet &= ratio >= TLS_TARGET;
                }
            }
            if (!each.isEmpty()) {
                ratios.add(kind.title + " " + String.join(RUNS, each));
                if (scenario.tls && kind == BrokerKind.TUNNELMQ) {
                    met = allMeet ? "yes" : "no";
                }
            }
        }
        if (!ratios.isEmpty()) {
            notes.add(scenario.setup.ratioName + " " + String.join(", ", ratios)
                    + (scenario.tls ? " (target for TunnelMQ ≥ " + TLS_TARGET + ")" : ""));
        }
        return met;
    }

    private static String hostileMet(Scenario scenario, List<Map<BrokerKind, LoadResult>> runs) {
        boolean any = false;
        for (Map<BrokerKind, LoadResult> run : runs) {
            LoadResult tunnel = run.get(BrokerKind.TUNNELMQ);
            if (tunnel == null) {
                continue;
            }
            any = true;
            if (!usable(tunnel) || figure(scenario, tunnel) >= Scenario.HOSTILE_P99_TARGET_MILLIS) {
                return "no";
            }
        }
        return any ? "yes" : "-";
    }

    /** TunnelMQ's advantage in each run, where both brokers' runs gave a figure. */
    private static Ratios ratios(List<Map<BrokerKind, LoadResult>> runs, ToDoubleFunction<LoadResult> figure,
                                 boolean higherIsBetter) {
        List<Double> ratios = new ArrayList<>();
        for (Map<BrokerKind, LoadResult> run : runs) {
            LoadResult t = run.get(BrokerKind.TUNNELMQ);
            LoadResult a = run.get(BrokerKind.ARTEMIS);
            if (usable(t) && usable(a)) {
                double tf = figure.applyAsDouble(t);
                double af = figure.applyAsDouble(a);
                ratios.add(higherIsBetter ? tf / af : af / tf);
            }
        }
        return new Ratios(ratios, runs.size());
    }

    private static String figures(List<Map<BrokerKind, LoadResult>> runs, BrokerKind kind,
                                  java.util.function.Function<LoadResult, String> show) {
        return String.join(RUNS, runs.stream().map(run -> show.apply(run.get(kind))).toList());
    }

    private void forEachUsable(List<Map<BrokerKind, LoadResult>> runs,
                               java.util.function.BiConsumer<BrokerKind, LoadResult> action) {
        for (Map<BrokerKind, LoadResult> run : runs) {
            for (BrokerKind kind : brokers) {
                if (usable(run.get(kind))) {
                    action.accept(kind, run.get(kind));
                }
            }
        }
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

    /** A run's figure; {@code notDurable} marks a TunnelMQ figure of persistent sends kept in memory only. */
    private static String show(Scenario scenario, LoadResult r, boolean notDurable) {
        if (r == null) {
            return "not run";
        }
        if (!r.ok()) {
            return "FAILED";
        }
        double f = figure(scenario, r);
        String text = !scenario.metric.higherIsBetter
                ? String.format(Locale.ROOT, "%.3f", f) : String.format(Locale.ROOT, "%,.0f", f);
        return notDurable ? text + "*" : text;
    }

    /** A run's p99 in ms, or why there is none (a broker left out with {@code --brokers} has no run). */
    private static String p99(LoadResult r) {
        return r == null ? "not run" : !r.ok() ? "FAILED" : String.format(Locale.ROOT, "%.3f", r.p99Micros() / 1e3);
    }

    /** TunnelMQ's advantage in each run that has both figures, of {@code runs} runs. */
    private record Ratios(List<Double> ratios, int runs) {
        boolean complete() {
            return !ratios.isEmpty() && ratios.size() == runs;
        }

        String text() {
            return ratios.isEmpty() ? "-" : String.join(RUNS, ratios.stream()
                    .map(x -> String.format(Locale.ROOT, "%.2f×", x)).toList());
        }
    }

    private record Row(String name, String description, String unit, String tunnel, String artemis,
                       String advantage, String target, String met, String note) {
    }
}
