package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.load.LoadResult;

import java.util.Locale;

/**
 * What the connections scenario measured on one broker.
 *
 * @param open          how opening the idle connections went
 * @param heapBefore    the broker's live heap (bytes, after full GC) before they opened
 * @param heapAfter     the same with them open
 * @param threadsBefore the broker's threads before
 * @param threadsAfter  its threads with them open
 * @param alone         the busy pair without them, before they opened
 * @param beside        the busy pair beside them
 * @param aloneAfter    the busy pair without them again, after they closed (the broker as warm as beside them)
 * @param closed        what the idle client said when it closed them (how many the provider reported lost)
 * @param failure       why the scenario failed, or null
 */
record IdleFigures(OpenReport open, long heapBefore, long heapAfter, int threadsBefore, int threadsAfter,
                   LoadResult alone, LoadResult beside, LoadResult aloneAfter, String closed, String failure) {

    static IdleFigures failed(String why) {
        return new IdleFigures(null, 0, 0, 0, 0, null, null, null, null, why);
    }

    /** Broker heap per idle connection in KiB: the growth of its live heap over the connections opened. */
    double heapPerConnectionKib() {
        return open == null || open.opened() == 0 ? Double.NaN
                : (heapAfter - heapBefore) / 1024.0 / open.opened();
    }

    double openRate() {
        return open == null || open.opened() == 0 ? Double.NaN : open.perSecond();
    }

    /**
     * The pair's throughput without the idle connections: the better of its runs before and after them, so a run
     * that still warmed the broker up does not flatter the figure beside them.
     */
    double aloneRate() {
        double before = rate(alone);
        double after = rate(aloneAfter);
        return Double.isNaN(before) ? after : Double.isNaN(after) ? before : Math.max(before, after);
    }

    double besideRate() {
        return rate(beside);
    }

    private static double rate(LoadResult run) {
        return run == null || !(run.seconds() > 0) ? Double.NaN : run.receivedPerSecond();
    }

    /** Throughput the pair kept beside the idle connections, as a fraction of its throughput alone. */
    double kept() {
        return besideRate() / aloneRate();
    }

    /** One line for the table's notes. */
    String describe(String broker) {
        if (open == null) {
            return broker + ": FAILED: " + failure;
        }
        return String.format(Locale.ROOT, "%s: %,d of %,d connections opened in %.1f s%s; broker live heap %.1f -> "
                        + "%.1f MiB, threads %d -> %d; %s; pair %,.0f msg/s before, %,.0f beside, %,.0f after%s",
                broker, open.opened(), open.asked(), open.seconds(),
                open.error() == null ? "" : " (fell over: " + open.error() + ")", heapBefore / 1048576.0,
                heapAfter / 1048576.0, threadsBefore, threadsAfter, closed == null ? "no close report" : closed,
                rate(alone), rate(beside), rate(aloneAfter), failure == null ? "" : "; FAILED: " + failure);
    }
}
