package io.tunnelmq.bench.load;

import java.util.List;

/**
 * The outcome of one run: rates over the measured window and latency percentiles in microseconds (send to receive;
 * round trip in request/reply mode). {@code error} is null when the run succeeded. CPU time per message received over
 * the measured window, in microseconds: the load tool's JVM (producers, consumers and the tool itself), and the
 * broker's when the run was told its process ({@code --cpu-of}); NaN where not known. At saturation these are
 * steadier than the rates, which swing with the machine's phases.
 */
public record LoadResult(String label, String provider, String shape, double seconds, long sent, long received,
                         double sentPerSecond, double receivedPerSecond, long latencySamples, double p50Micros,
                         double p95Micros, double p99Micros, double p999Micros, double maxMicros, String error,
                         double clientCpuMicros, double brokerCpuMicros) {

    /** CSV columns, in the order of {@link #csvValues()}. */
    public static final List<String> CSV_HEADER = List.of("label", "provider", "shape", "seconds", "sent",
            "received", "sent_per_s", "received_per_s", "latency_samples", "p50_us", "p95_us", "p99_us", "p999_us", "max_us",
            "error", "client_cpu_us_per_msg", "broker_cpu_us_per_msg");
    /** The columns before the CPU figures: rows written before them have only these. */
    private static final int COLUMNS_WITHOUT_CPU = 15;

    /** A result without CPU figures. */
    public LoadResult(String label, String provider, String shape, double seconds, long sent, long received,
                      double sentPerSecond, double receivedPerSecond, long latencySamples, double p50Micros,
                      double p95Micros, double p99Micros, double p999Micros, double maxMicros, String error) {
        this(label, provider, shape, seconds, sent, received, sentPerSecond, receivedPerSecond, latencySamples,
                p50Micros, p95Micros, p99Micros, p999Micros, maxMicros, error, Double.NaN, Double.NaN);
    }

    public boolean ok() {
        return error == null;
    }

    /** This result, failed for {@code why} (its figures kept): a run whose broker did not survive it. */
    public LoadResult failedBecause(String why) {
        return new LoadResult(label, provider, shape, seconds, sent, received, sentPerSecond, receivedPerSecond,
                latencySamples, p50Micros, p95Micros, p99Micros, p999Micros, maxMicros,
                error == null ? why : error + "; " + why, clientCpuMicros, brokerCpuMicros);
    }

    public List<String> csvValues() {
        return List.of(label, provider, shape, fmt(seconds), Long.toString(sent), Long.toString(received),
                fmt(sentPerSecond), fmt(receivedPerSecond), Long.toString(latencySamples), fmt(p50Micros),
                fmt(p95Micros), fmt(p99Micros), fmt(p999Micros), fmt(maxMicros), error == null ? "" : error,
                cpu(clientCpuMicros), cpu(brokerCpuMicros));
    }

    /** Reads a row written by {@link #csvValues()}. */
    public static LoadResult fromCsv(List<String> v) {
        if (v.size() != CSV_HEADER.size() && v.size() != COLUMNS_WITHOUT_CPU) {
            throw new IllegalArgumentException("a result row has " + CSV_HEADER.size() + " columns (or "
                    + COLUMNS_WITHOUT_CPU + " without the CPU figures), this one " + v.size() + ": " + v);
        }
        boolean cpu = v.size() == CSV_HEADER.size();
        return new LoadResult(v.get(0), v.get(1), v.get(2), Double.parseDouble(v.get(3)), Long.parseLong(v.get(4)),
                Long.parseLong(v.get(5)), Double.parseDouble(v.get(6)), Double.parseDouble(v.get(7)),
                Long.parseLong(v.get(8)), Double.parseDouble(v.get(9)), Double.parseDouble(v.get(10)),
                Double.parseDouble(v.get(11)), Double.parseDouble(v.get(12)), Double.parseDouble(v.get(13)),
                v.get(14).isEmpty() ? null : v.get(14), cpu ? parseCpu(v.get(15)) : Double.NaN,
                cpu ? parseCpu(v.get(16)) : Double.NaN);
    }

    private static String cpu(double micros) {
        return Double.isNaN(micros) ? "" : String.format(java.util.Locale.ROOT, "%.3f", micros);
    }

    private static double parseCpu(String value) {
        return value.isEmpty() ? Double.NaN : Double.parseDouble(value);
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }
}
