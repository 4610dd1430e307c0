package io.tunnelmq.bench.compare;

import java.util.Locale;

/**
 * What the issue asks of a scenario, read by the comparison table: TunnelMQ's advantage over Artemis (a ratio of
 * rates, or Artemis's latency over TunnelMQ's), optionally a floor under TunnelMQ's own figure, a p99 advantage beside
 * the p50 one, and how many runs must each meet it.
 *
 * @param text     the target as the table shows it
 * @param ratio    TunnelMQ's advantage asked for; 0: the issue names no target and the table leaves "met" empty
 * @param minimum  TunnelMQ's figure must reach this too (a rate, e.g. 3,500 msg/s); 0: no floor
 * @param p99Ratio a latency scenario's p99 advantage asked for beside its p50 one; 0: p50 only
 * @param runs     runs of the scenario, each pair of runs must meet the target ({@code --repeat} overrides the count;
 *                 fewer runs than this cannot meet it)
 */
record Target(String text, double ratio, double minimum, double p99Ratio, int runs) {

    Target {
        if (runs < 1) {
            throw new IllegalArgumentException("a target needs at least one run, not " + runs);
        }
    }

    /** No target: the figures are reported. */
    static Target none(String text) {
        return new Target(text, 0, 0, 0, 1);
    }

    /** TunnelMQ's advantage over Artemis at least {@code ratio}. */
    static Target ratio(double ratio, String text) {
        return new Target(text, ratio, 0, 0, 1);
    }

    /** This target, and TunnelMQ's figure at least {@code floor}. */
    Target atLeast(double floor) {
        return new Target(text, ratio, floor, p99Ratio, runs);
    }

    /** This target on the p50, and the p99 advantage at least {@code ratio}. */
    Target andP99(double ratio) {
        return new Target(text, this.ratio, minimum, ratio, runs);
    }

    /** This target in every one of {@code count} runs. */
    Target everyRun(int count) {
        return new Target(text, ratio, minimum, p99Ratio, count);
    }

    boolean any() {
        return ratio > 0;
    }

    /** The p99 target as the table's second row of a latency scenario shows it: "p99 ≤ 0.5× Artemis". */
    String p99Text() {
        return String.format(Locale.ROOT, "p99 ≤ %s× Artemis", trim(1 / p99Ratio));
    }

    private static String trim(double d) {
        String s = String.format(Locale.ROOT, "%.2f", d);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
