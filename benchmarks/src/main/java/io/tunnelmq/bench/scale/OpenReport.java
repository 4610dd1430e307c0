package io.tunnelmq.bench.scale;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How opening a batch of connections went, as one line a client JVM prints and the {@code scale} command reads back
 * from its log: how many opened, in how long, and the first failure (null: none).
 */
record OpenReport(int asked, int opened, double seconds, String error) {
    static final String PREFIX = "OPENED";
    private static final Pattern LINE = Pattern.compile(
            "^OPENED asked=(\\d+) opened=(\\d+) seconds=([0-9.]+)(?: error=(.*))?$");

    /** Connections opened per second (connection, session and consumer each). */
    double perSecond() {
        return seconds > 0 ? opened / seconds : 0;
    }

    boolean ok() {
        return error == null && opened == asked;
    }

    String line() {
        return String.format(Locale.ROOT, "%s asked=%d opened=%d seconds=%.3f", PREFIX, asked, opened, seconds)
                + (error == null ? "" : " error=" + error.replace('\n', ' '));
    }

    static OpenReport parse(String line) {
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an " + PREFIX + " line: '" + line + "'");
        }
        return new OpenReport(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Double.parseDouble(m.group(3)), m.group(4));
    }
}
