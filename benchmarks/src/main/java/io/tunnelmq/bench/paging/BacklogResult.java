package io.tunnelmq.bench.paging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code backlog} phase did, as the line {@code RESULT key=value ...} the phase prints last: the comparison
 * runs each phase in a JVM of its own and reads its figures back from that line.
 *
 * @param phase       fill, drain or mixed
 * @param seconds     the phase's time, first send (or receive) to last
 * @param sent        messages sent successfully
 * @param failedSends sends that threw (a broker that refused a message for lack of room counts here)
 * @param received    messages received
 * @param orderErrors received messages whose sequence number was not its producer's previous one plus one (a gap, a
 *                    duplicate or a reordering); drain only
 * @param left        messages still queued at the end (mixed: the backlog plus what was sent, minus what was received)
 * @param error       why the phase failed, or null
 */
public record BacklogResult(String phase, double seconds, long sent, long failedSends, long received, long orderErrors,
                            long left, String error) {
    /** First word of the result line. */
    public static final String PREFIX = "RESULT ";

    public double sendRate() {
        return seconds > 0 ? sent / seconds : 0;
    }

    public double receiveRate() {
        return seconds > 0 ? received / seconds : 0;
    }

    public boolean ok() {
        return error == null;
    }

    /** The result line; {@link #parse} reads it back. The error (if any) is last, as it may hold spaces. */
    public String line() {
        return String.format(Locale.ROOT, "%sphase=%s seconds=%.3f sent=%d failedSends=%d received=%d orderErrors=%d "
                + "left=%d%s", PREFIX, phase, seconds, sent, failedSends, received, orderErrors, left,
                error == null ? "" : " error=" + error.replace('\n', ' '));
    }

    /** Reads a {@link #line()} back. */
    public static BacklogResult parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a backlog result line (it starts with '" + PREFIX.trim() + "'): "
                    + line);
        }
        String body = line.substring(PREFIX.length());
        String error = null;
        int e = body.indexOf(" error=");
        if (e >= 0) {
            error = body.substring(e + " error=".length());
            body = body.substring(0, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + pair + "' in a backlog result line is not key=value: " + line);
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        try {
            return new BacklogResult(values.get("phase"), Double.parseDouble(values.get("seconds")),
                    Long.parseLong(values.get("sent")), Long.parseLong(values.get("failedSends")),
                    Long.parseLong(values.get("received")), Long.parseLong(values.get("orderErrors")),
                    Long.parseLong(values.get("left")), error);
        } catch (NullPointerException | NumberFormatException ex) {
            throw new IllegalArgumentException("a backlog result line lacks a figure or has a bad one: " + line, ex);
        }
    }

    /** A phase that could not run at all. */
    public static BacklogResult failed(String phase, String why) {
        return new BacklogResult(phase, 0, 0, 0, 0, 0, 0, why);
    }
}
