package io.tunnelmq.bench.load;

import io.tunnelmq.bench.Csv;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints results as a table and appends them to a CSV file. */
public final class ResultTable {
    private ResultTable() {
    }

    public static void print(List<LoadResult> results, PrintStream out) {
        // a comparison's labels ("shallow-peek-lock-window@tunnelmq") are longer than a load run's
        int labelWidth = Math.max(22, results.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        int providerWidth = Math.max(22, results.stream().mapToInt(r -> r.provider().length()).max().orElse(0));
        String format = "%-" + labelWidth + "s %-" + providerWidth
                + "s %-50s %6s %10s %10s %9s %9s %9s %9s %9s %10s %10s%n";
        out.printf(Locale.ROOT, format, "run", "provider", "shape", "secs", "sent/s", "recv/s", "p50 ms", "p95 ms",
                "p99 ms", "p99.9 ms", "max ms", "client cpu", "broker cpu");
        for (LoadResult r : results) {
            out.printf(Locale.ROOT, format, r.label(), r.provider(), r.shape(), String.format(Locale.ROOT, "%.1f",
                            r.seconds()), rate(r.sentPerSecond()), rate(r.receivedPerSecond()), ms(r, r.p50Micros()),
                    ms(r, r.p95Micros()), ms(r, r.p99Micros()), ms(r, r.p999Micros()), ms(r, r.maxMicros()),
                    cpu(r.clientCpuMicros()), cpu(r.brokerCpuMicros()));
            if (!r.ok()) {
                out.println("  FAILED: " + r.error());
            }
        }
        out.flush();
    }

    /** Appends the rows, with a header when the file is new or empty. */
    public static void appendCsv(Path file, List<LoadResult> results) throws IOException {
        Csv.append(file, LoadResult.CSV_HEADER, results.stream().map(LoadResult::csvValues).toList());
    }

    /** CPU microseconds per message received, or "-" when not known. */
    private static String cpu(double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.2f us", micros);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String ms(LoadResult r, double micros) {
        return r.latencySamples() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
