package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation the journal performs, so tests can inject failures (a write that fails, a disk that is full
 * after N bytes, an fsync that fails, a crash between two steps). {@link DiskFileSystem} is the real one.
 */
interface JournalFileSystem {

    void createDirectories(Path directory) throws IOException;

    /** The regular files directly in {@code directory}. */
    List<Path> list(Path directory) throws IOException;

    /** Opens for reading and writing, creating the file if {@code create}. */
    JournalFile open(Path file, boolean create) throws IOException;

    /** Renames atomically, replacing {@code target} if it exists. */
    void move(Path source, Path target) throws IOException;

    void delete(Path file) throws IOException;

    /** Makes creations, renames and deletions in {@code directory} durable. */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} for the life of the returned handle, or throws if another process
     * holds it.
     */
    AutoCloseable lock(Path lockFile) throws IOException;

    /** One open file. Positional reads and writes only: the journal tracks positions itself. */
    interface JournalFile extends AutoCloseable {

        /** Writes all of {@code source} at {@code position}. */
        void write(java.nio.ByteBuffer source, long position) throws IOException;

        /** Reads from {@code position} until {@code target} is full or the file ends; returns the bytes read. */
        int read(java.nio.ByteBuffer target, long position) throws IOException;

        long size() throws IOException;

        void truncate(long size) throws IOException;

        /** fdatasync: the data (and the size if it changed) reach the disk. */
        void force() throws IOException;

        @Override
        void close() throws IOException;
    }
}
