package io.tunnelmq.server.store.pages;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations a page segment needs, so that tests can stand in a full or failing disk (the tests run
 * as root, where a read-only directory is still writable).
 */
interface PageChannel extends Closeable {

    /** Writes all of {@code source} at {@code position}, or throws (having written any part of it). */
    void write(ByteBuffer source, long position) throws IOException;

    /** Reads into {@code target} from {@code position}: the bytes read, -1 at the end of the file. */
    int read(ByteBuffer target, long position) throws IOException;

    /** Creates the file of a new segment (truncating any file of that name) and opens it. */
    @FunctionalInterface
    interface Opener {
        PageChannel create(Path file) throws IOException;
    }

    /** The real disk. No fsync ever: page files are scratch data that a crash may lose. */
    static PageChannel onDisk(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new PageChannel() {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                long at = position;
                while (source.hasRemaining()) {
                    at += channel.write(source, at);
                }
            }

            @Override
            public int read(ByteBuffer target, long position) throws IOException {
                return channel.read(target, position);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
