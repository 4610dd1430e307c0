package io.tunnelmq.bench.paging;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TunnelMQ broker tells about its journal: Prometheus text from its {@code /metrics}, and the compactor's log
 * lines ({@code compacted N segments into M (R records copied, B bytes) in T ms}) — the broker has no counter of the
 * bytes compaction wrote, so they are summed from the log.
 */
public final class JournalFigures {
    private static final Pattern COMPACTED = Pattern.compile("compacted (\\d+) segments .*?\\((\\d+) records copied, "
            + "(\\d+) bytes\\)");

    private JournalFigures() {
    }

    /**
     * The sum of a metric's samples in Prometheus text (all label sets), e.g. {@code tunnelmq_journal_written_bytes};
     * empty when the text has none. Counters may carry the {@code _total} suffix in the text.
     */
    public static OptionalDouble metric(String prometheusText, String name) {
        double sum = 0;
        boolean any = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String rest = line.startsWith(name + "_total") ? line.substring(name.length() + 6)
                    : line.startsWith(name) ? line.substring(name.length()) : null;
            if (rest == null || rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '{')) {
                continue;
            }
            if (rest.charAt(0) == '{') {
                int close = rest.lastIndexOf('}');
                if (close < 0) {
                    continue;
                }
                rest = rest.substring(close + 1);
            }
            String[] parts = rest.trim().split("\\s+");
            try {
                sum += Double.parseDouble(parts[0]);
                any = true;
            } catch (NumberFormatException e) {
                // not a sample line of this metric
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** Compactions a broker log tells of: how many, and the records and bytes they copied. */
    public static Compactions compactions(String brokerLog) {
        int count = 0;
        long records = 0;
        long bytes = 0;
        Matcher m = COMPACTED.matcher(brokerLog);
        while (m.find()) {
            count++;
            records += Long.parseLong(m.group(2));
            bytes += Long.parseLong(m.group(3));
        }
        return new Compactions(count, records, bytes);
    }

    /** Compactions counted in a log, and what they copied. */
    public record Compactions(int count, long records, long bytes) {
        public Compactions minus(Compactions earlier) {
            return new Compactions(count - earlier.count, records - earlier.records, bytes - earlier.bytes);
        }
    }
}
