package io.tunnelmq.server.store.journal;

/**
 * A live record found by recovery ({@link Journal#open}): its Add data and its latest annotation.
 *
 * @param id the caller's id
 * @param data the data of the record's {@link JournalOp.Add}
 * @param annotation the latest {@link JournalOp.Annotate}, or null if the record was never annotated
 */
public record RecoveredRecord(long id, byte[] data, byte[] annotation) {
}
