package io.tunnelmq.server.store.journal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the journal knows about one segment file: where its records end and what in it still matters. A segment
 * can go once nothing in it matters: no live record was added in it, it holds no live record's latest annotation,
 * and none of its Deletes kills a record whose Add is still on disk in an older segment ({@link #pins}) — removing
 * such a Delete first would bring the record back at the next recovery.
 */
final class Segment {
    static final String SUFFIX = ".tmj";
    static final String PREFIX = "journal-";

    final long sequence;
    /** The first sequence this file stands for: below {@link #sequence} when it is the output of a compaction. */
    final long coversFrom;
    final Path path;
    /** Bytes in use: the header and every record written. */
    long end;
    int liveAdds;
    long liveBytes;
    int liveAnnotations;
    /** When a record added here last died ({@link System#nanoTime()}); 0 = none did. */
    long lastDeathNanos;
    /** Deletes in this segment whose Add is in an older segment that still exists. */
    int pins;
    /** Segments holding Deletes of records added here, and how many: they are pinned while this one exists. */
    final Map<Segment, Integer> dependents = new HashMap<>();

    Segment(Path directory, long sequence, long coversFrom) {
        this.sequence = sequence;
        this.coversFrom = coversFrom;
        this.path = directory.resolve(fileName(sequence));
    }

    static String fileName(long sequence) {
        return PREFIX + sequence + SUFFIX;
    }

    /** The sequence in a segment file name, or -1 if the name is not one. */
    static long sequenceOf(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        String digits = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long sequence = Long.parseLong(digits);
        return sequence > 0 ? sequence : -1;
    }

    boolean nothingMatters() {
        return liveAdds == 0 && liveAnnotations == 0 && pins == 0;
    }

    /** This segment is gone from disk: Deletes elsewhere that only mattered because of it stop pinning. */
    void releaseDependents() {
        dependents.forEach((segment, count) -> segment.pins -= count);
        dependents.clear();
    }

    @Override
    public String toString() {
        return path.getFileName() + "[end=" + end + ", liveAdds=" + liveAdds + ", liveAnnotations=" + liveAnnotations
                + ", pins=" + pins + "]";
    }
}
