package io.tunnelmq.server.store.journal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link Journal} is laid out and when it compacts. Build with {@link #builder(Path)}; every option but the
 * directory has a default that suits a broker.
 */
public final class JournalOptions {
    /** The default segment size: 32 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 32 << 20;
    /** The default largest record: 16 MiB (and never more than a segment can hold). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
    /** Default of {@link Builder#compactionQuietMillis}. */
    public static final long DEFAULT_COMPACTION_QUIET_MILLIS = 10_000;
    /** The smallest segment accepted (tests use small segments to exercise rolling). */
    public static final int MIN_SEGMENT_BYTES = 1024;

    private final Path directory;
    private final int segmentBytes;
    private final int maxRecordBytes;
    private final double compactionThreshold;
    private final long compactionMinBytes;
    private final long compactionQuietMillis;
    private final boolean preallocate;
    private final boolean salvage;
    private final JournalFileSystem fileSystem;

    private JournalOptions(Builder b) {
        this.directory = b.directory;
        this.segmentBytes = b.segmentBytes;
        this.maxRecordBytes = Math.min(b.maxRecordBytes, b.segmentBytes - RecordFormat.SEGMENT_HEADER_BYTES);
        this.compactionThreshold = b.compactionThreshold;
        this.compactionMinBytes = b.compactionMinBytes < 0 ? b.segmentBytes : b.compactionMinBytes;
        this.compactionQuietMillis = b.compactionQuietMillis;
        this.preallocate = b.preallocate;
        this.salvage = b.salvage;
        this.fileSystem = b.fileSystem;
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    public Path directory() {
        return directory;
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    /** The largest encoded record {@link Journal#append} accepts (record header included). */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public double compactionThreshold() {
        return compactionThreshold;
    }

    public long compactionMinBytes() {
        return compactionMinBytes;
    }

    /** How long a segment must have lost no record before it is compacted ({@link Builder#compactionQuietMillis}). */
    public long compactionQuietMillis() {
        return compactionQuietMillis;
    }

    public boolean preallocate() {
        return preallocate;
    }

    /** Whether opening keeps every record that verifies and sets damaged segments aside, instead of refusing. */
    public boolean salvage() {
        return salvage;
    }

    JournalFileSystem fileSystem() {
        return fileSystem;
    }

    /** These options with {@link #salvage()} off: what a salvaged journal is opened with again. */
    JournalOptions withoutSalvage() {
        Builder b = builder(directory).segmentBytes(segmentBytes).maxRecordBytes(maxRecordBytes)
                .compactionThreshold(compactionThreshold).compactionMinBytes(compactionMinBytes)
                .compactionQuietMillis(compactionQuietMillis).preallocate(preallocate)
                .fileSystem(fileSystem);
        return b.build();
    }

    @Override
    public String toString() {
        return "JournalOptions[directory=" + directory + ", segmentBytes=" + segmentBytes + ", maxRecordBytes="
                + maxRecordBytes + ", compactionThreshold=" + compactionThreshold + ", compactionMinBytes="
                + compactionMinBytes + ", compactionQuietMillis=" + compactionQuietMillis + ", preallocate=" + preallocate + ", salvage=" + salvage + "]";
    }

    /** Builds {@link JournalOptions}. */
    public static final class Builder {
        private final Path directory;
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private double compactionThreshold = 0.5;
        private long compactionMinBytes = -1;
        private long compactionQuietMillis = DEFAULT_COMPACTION_QUIET_MILLIS;
        private boolean preallocate = true;
        private boolean salvage;
        private JournalFileSystem fileSystem = DiskFileSystem.INSTANCE;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** Size at which a segment file is sealed and a new one started; preallocated (zero-filled) up front. */
        public Builder segmentBytes(int bytes) {
            if (bytes < MIN_SEGMENT_BYTES) {
                throw new IllegalArgumentException("segmentBytes must be >= " + MIN_SEGMENT_BYTES + ", was " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /** The largest record accepted, header included; capped at what one segment can hold. */
        public Builder maxRecordBytes(int bytes) {
            if (bytes < RecordFormat.RECORD_HEADER_BYTES + 4) {
                throw new IllegalArgumentException("maxRecordBytes must be >= " + (RecordFormat.RECORD_HEADER_BYTES
                        + 4) + ", was " + bytes);
            }
            this.maxRecordBytes = bytes;
            return this;
        }

        /**
         * Compact the oldest sealed segments when their live bytes fall below this fraction of their size
         * (0 &lt; threshold &lt; 1; 0 turns automatic compaction off). Default 0.5: a compaction never copies
         * more than it frees.
         */
        public Builder compactionThreshold(double threshold) {
            if (!(threshold >= 0 && threshold < 1)) {
                throw new IllegalArgumentException("compactionThreshold must be in [0, 1), was " + threshold);
            }
            this.compactionThreshold = threshold;
            return this;
        }

        /** Compact only when the sealed segments considered hold at least this many bytes (default: one segment). */
        public Builder compactionMinBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("compactionMinBytes must be >= 0, was " + bytes);
            }
            this.compactionMinBytes = bytes;
            return this;
        }

        /**
         * Compact only segments that lost no record for this long (default {@value #DEFAULT_COMPACTION_QUIET_MILLIS}
         * ms; 0: at once). A segment still losing records is being drained — a backlog consumed in order empties its
         * segments from the oldest on, and they go whole once empty — so copying its live rest would only rewrite
         * what is about to die; a segment whose records stopped dying holds long-lived ones worth compacting.
         */
        public Builder compactionQuietMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("compactionQuietMillis must be >= 0, was " + millis);
            }
            this.compactionQuietMillis = millis;
            return this;
        }

        /**
         * Zero-fill each segment before use (default true): an fdatasync of a write into allocated blocks does not
         * also commit file-size metadata, and on this class of machine is about twice as fast as on a growing file.
         */
        public Builder preallocate(boolean preallocate) {
            this.preallocate = preallocate;
            return this;
        }

        /**
         * Open a damaged journal anyway (default false: a damaged journal is refused): keep every record whose
         * checksum verifies, rewrite each damaged segment with them, and move the damaged file to the {@code damaged}
         * directory beside the segments. Records in the damaged spans are lost: a message added there is gone, one
         * completed there comes back.
         */
        public Builder salvage(boolean salvage) {
            this.salvage = salvage;
            return this;
        }

        /** Test seam: the file operations, so tests can inject write, fsync and disk-full failures. */
        Builder fileSystem(JournalFileSystem fileSystem) {
            this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
            return this;
        }

        public JournalOptions build() {
            return new JournalOptions(this);
        }
    }
}
