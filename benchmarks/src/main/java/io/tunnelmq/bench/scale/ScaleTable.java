package io.tunnelmq.bench.scale;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The scale run's result: one row per figure with both brokers' values, TunnelMQ's advantage (above 1 = TunnelMQ
 * better: less heap, more per second, a shorter latency), the target and whether TunnelMQ met it; notes
 * below.
 */
final class ScaleTable {
    static final List<String> CSV_HEADER = List.of("scenario", "unit", "tunnelmq", "artemis", "advantage", "target",
            "met");

    /** Which way a figure is better. */
    enum Better {
        HIGHER, LOWER
    }

    /**
     * One figure.
     *
     * @param met whether TunnelMQ's value meets the target; null: no target (reported)
     */
    record Row(String scenario, String unit, double tunnel, double artemis, Better better, int decimals,
               String target, DoublePredicate met) {

        String advantage() {
            if (!(tunnel > 0) || !(artemis > 0)) {
                return "–";
            }
            double ratio = switch (better) {
                case HIGHER -> tunnel / artemis;
                case LOWER -> artemis / tunnel;
            };
            return String.format(Locale.ROOT, "%.2f×", ratio);
        }

        String metText() {
            if (met == null || Double.isNaN(tunnel)) {
                return "–";
            }
            return met.test(tunnel) ? "yes" : "no";
        }

        String value(double v) {
            return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void note(String note) {
        notes.add(note);
    }

    List<Row> rows() {
        return rows;
    }

    void print(PrintStream out) {
        String format = "%-22s %-16s %14s %14s %10s  %-22s %-4s%n";
        out.printf(Locale.ROOT, format, "scenario", "unit", "TunnelMQ", "Artemis", "advantage", "target", "met");
        for (Row r : rows) {
            out.printf(Locale.ROOT, format, r.scenario, r.unit, r.value(r.tunnel), r.value(r.artemis), r.advantage(),
                    r.target, r.metText());
        }
        out.println();
        for (String note : notes) {
            out.println("  NOTE " + note);
        }
        out.flush();
    }

    List<List<String>> csvRows() {
        return rows.stream().map(r -> List.of(r.scenario, r.unit, csvValue(r.tunnel), csvValue(r.artemis),
                r.advantage(), r.target, r.metText())).toList();
    }

    private static String csvValue(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
