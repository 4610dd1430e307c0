package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.Csv;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paging scenarios' figures: one row per figure with TunnelMQ's, Artemis's and TunnelMQ's advantage (above 1 =
 * TunnelMQ better), then notes (what the brokers logged, journal figures). Printed as markdown, written as CSV.
 */
final class PagingTable {
    static final List<String> CSV_HEADER = List.of("scenario", "figure", "tunnelmq", "artemis", "advantage");

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** How a figure compares: more is better, less is better, or not at all (a count that must be 0, a flag). */
    enum Better {
        HIGHER, LOWER, NEITHER
    }

    /**
     * A figure of both brokers; NaN where a broker did not run or failed.
     */
    record Row(String scenario, String figure, double tunnel, double artemis, Better better) {
        /** TunnelMQ's advantage; NaN when there is none to give. */
        double advantage() {
            if (Double.isNaN(tunnel) || Double.isNaN(artemis) || tunnel == 0 || artemis == 0) {
                return Double.NaN;
            }
            return switch (better) {
                case HIGHER -> tunnel / artemis;
                case LOWER -> artemis / tunnel;
                case NEITHER -> Double.NaN;
            };
        }
    }

    void add(String scenario, String figure, double tunnel, double artemis, Better better) {
        rows.add(new Row(scenario, figure, tunnel, artemis, better));
    }

    void note(String note) {
        notes.add(note);
    }

    List<Row> rows() {
        return rows;
    }

    void print(PrintStream out) {
        out.println("| scenario | figure | TunnelMQ | Artemis | TunnelMQ's advantage |");
        out.println("|---|---|---|---|---|");
        for (Row r : rows) {
            double a = r.advantage();
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.scenario(), r.figure(), number(r.tunnel()),
                    number(r.artemis()), Double.isNaN(a) ? "" : String.format(Locale.ROOT, "%.2f×", a));
        }
        for (String n : notes) {
            out.println("- " + n);
        }
    }

    void writeCsv(Path file) throws IOException {
        java.nio.file.Files.deleteIfExists(file);
        Csv.append(file, CSV_HEADER, rows.stream().map(r -> List.of(r.scenario(), r.figure(), csv(r.tunnel()),
                csv(r.artemis()), csv(r.advantage()))).toList());
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
