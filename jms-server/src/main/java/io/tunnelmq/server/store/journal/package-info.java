/**
 * The embedded journal: a broker-agnostic, append-only store of records with group commit, crash recovery and
 * compaction. {@link io.tunnelmq.server.store.journal.Journal} is the entry point; a record is a list of
 * {@link io.tunnelmq.server.store.journal.JournalOp}s (Add a record with its data, Annotate it, Delete it) applied
 * atomically.
 *
 * <h2>Files</h2>
 * The directory holds segment files {@code journal-<sequence>.tmj} (sequence a decimal long &gt; 0, increasing),
 * a lock file {@code journal.lock} (held while a journal has the directory open), and briefly temporary files
 * {@code journal-<sequence>.tmj.prealloc} (a segment being prepared) and {@code journal-<sequence>.tmj.compact}
 * (a compaction being written), which recovery deletes. Other files are ignored with a WARN.
 *
 * <h2>Byte layout (big-endian)</h2>
 * <pre>
 * segment header, 32 bytes:
 *   0  int32  magic 0x544D514A ("TMQJ")
 *   4  int32  format version (1)
 *   8  int64  sequence (equals the one in the file name)
 *  16  int64  coversFrom: the first sequence this file stands for; = sequence for a normal segment, lower for the
 *             output of a compaction, which replaces every segment from coversFrom to sequence
 *  24  int32  CRC32C of bytes 0..23
 *  28  int32  reserved (0)
 * then records, back to back, then (in a preallocated segment) zeros up to the segment size:
 *   0  int32  length L of the body (bytes after this 9-byte header); 0 never starts a record (zero-filled room)
 *   4  int8   type (1 = ops)
 *   5  int32  CRC32C over bytes 0..4 (length and type) and the body: everything but this field
 *   9  body, type 1: int32 op count (&gt; 0), then each op:
 *        int8 kind 1 = Add:      int64 id, int32 n, n bytes data
 *        int8 kind 2 = Annotate: int64 id, int32 n, n bytes annotation
 *        int8 kind 3 = Delete:   int64 id
 * </pre>
 *
 * <h2>Writing</h2>
 * One daemon writer thread ({@code tunnelmq-journal}) takes every queued append, writes them with one positional
 * write per segment, fsyncs ({@code FileChannel.force(false)}) once if any of them asked for durability, then
 * completes their futures. A durable append to an idle journal (nothing queued, nobody writing) is written and
 * fsynced the same way by the appending thread itself, whose future is then complete when {@code append} returns: a
 * lone synchronous producer does not pay two thread hand-overs per message. One writer at a time, whichever it is. New segments are zero-filled ahead of need on a daemon thread
 * ({@code tunnelmq-journal-prealloc}): fdatasync into allocated blocks is about twice as fast as on a growing file.
 * A segment is fsynced before the next one is created, so only the last segment can end in a torn record.
 *
 * <h2>Space</h2>
 * A sealed segment is deleted once nothing in it matters: no live record was added in it, it holds no live record's
 * latest annotation, and none of its Deletes kills a record whose Add is still on disk in an older segment. That
 * last rule stops a Delete from going before the Add it kills, which would resurrect the record at recovery; the
 * directory is fsynced after each round of deletions before any Delete they release may go. When the live bytes of
 * the oldest sealed segments fall below a threshold, they are compacted: their live records are copied, in order,
 * into one new file that takes the sequence of the last of them (see {@code Compactor} for the crash-safe steps).
 * The copy runs on a daemon thread ({@code tunnelmq-journal-compactor}) from a snapshot; only the final swap runs
 * on the writer thread between groups.
 *
 * <h2>Reading back</h2>
 * The journal keeps an index of its live records in memory (id, segment, position and length of the data, latest
 * annotation), never their data. {@code Journal.read(ids)} reads records back by id (a paged message's body): the
 * lookup and the reads run as a task on the writer thread, which owns the index and decides when segments are
 * compacted or deleted, between groups and in slices of a few hundred ids and a few MiB; within a slice the reads go
 * in segment and position order, nearby records in one read.
 *
 * <h2>Recovery</h2>
 * Opening reads and verifies every segment in sequence order to rebuild the index; {@code Journal.replay} then hands
 * the live records back in Add order, a batch of a few MiB at a time read on the writer thread, so a journal far
 * larger than the heap can be recovered. A record that fails its checksum or does not fit at the end of the last
 * segment is a torn write: cut off with a WARN. A bad record with a complete record after it, or anywhere in an
 * earlier segment, is corruption: ERROR with file and offset, and open fails rather than lose the records after it.
 */
package io.tunnelmq.server.store.journal;
