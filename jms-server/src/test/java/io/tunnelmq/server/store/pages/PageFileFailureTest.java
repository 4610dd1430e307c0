package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tunnelmq.server.store.pages.PageMessages.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A full disk, a directory that cannot be written: clear errors, and no message that write() accepted is lost. */
@Timeout(30)
class PageFileFailureTest {
    @TempDir
    Path temp;
    private final AtomicBoolean diskFull = new AtomicBoolean();
    private final AtomicBoolean createDenied = new AtomicBoolean();
    private PageFile pages;

    @AfterEach
    void closePages() {
        if (pages != null) {
            pages.close();
        }
    }

    /** The real disk, except that writes fail while {@link #diskFull} and file creation while {@link #createDenied}. */
    private PageChannel failing(Path file) throws IOException {
        if (createDenied.get()) {
            throw new AccessDeniedException(file.toString());
        }
        PageChannel disk = PageChannel.onDisk(file);
        return new PageChannel() {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                if (diskFull.get()) {
                    // a partial write first, as a real disk filling up mid-write does
                    ByteBuffer part = source.duplicate();
                    part.limit(part.position() + Math.min(100, part.remaining()));
                    disk.write(part, position);
                    throw new IOException("No space left on device");
                }
                disk.write(source, position);
            }

            @Override
            public int read(ByteBuffer target, long position) throws IOException {
                return disk.read(target, position);
            }

            @Override
            public void close() throws IOException {
                disk.close();
            }
        };
    }

    private PageFile open(long segmentBytes, int bufferBytes) throws IOException {
        pages = PageFile.open(temp.resolve("pages"), segmentBytes, bufferBytes, this::failing);
        return pages;
    }

    private void assertAllReadBack(List<Long> refs, List<WireMessage> sent) throws IOException {
        assertThat(pages.read(refs.stream().mapToLong(Long::longValue).toArray())).containsExactlyElementsOf(sent);
    }

    @Test
    void aFullDiskFailsNewWritesKeepsTheAcceptedOnesAndRecovers() throws IOException {
        open(PageFile.DEFAULT_SEGMENT_BYTES, 4096);
        List<Long> refs = new ArrayList<>();
        List<WireMessage> sent = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            sent.add(numbered(n, 1000));
            refs.add(pages.write(sent.get(n)));
        }
        long bytes = pages.bytesOnDisk();
        diskFull.set(true);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> pages.write(numbered(99, 1000))).isInstanceOf(IOException.class)
                    .hasMessageContaining(temp.resolve("pages").toString()).hasMessageContaining("disk is full")
                    .hasMessageContaining("No space left on device");
        }
        assertThatThrownBy(() -> pages.write(numbered(98, 10_000))).as("larger than the buffer")
                .isInstanceOf(IOException.class).hasMessageContaining("disk is full");
        assertThat(pages.bytesOnDisk()).as("failed writes take no room").isEqualTo(bytes);
        assertAllReadBack(refs, sent);

        diskFull.set(false);
        for (int n = 3; n < 40; n++) {
            sent.add(numbered(n, n == 20 ? 10_000 : 1000));
            refs.add(pages.write(sent.get(n)));
        }
        assertAllReadBack(refs, sent);
    }

    @Test
    void aFullDiskWhenASegmentIsSealedLosesNothing() throws IOException {
        open(6 * 1024, 4096);
        List<Long> refs = new ArrayList<>();
        List<WireMessage> sent = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            sent.add(numbered(n, 1000));
            refs.add(pages.write(sent.get(n)));
        }
        diskFull.set(true);
        assertThatThrownBy(() -> {
            for (int n = 0; n < 10; n++) {
                pages.write(numbered(100 + n, 1000));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("disk is full");
        assertAllReadBack(refs, sent);
        diskFull.set(false);
        for (int n = 4; n < 20; n++) {
            sent.add(numbered(n, 1000));
            refs.add(pages.write(sent.get(n)));
        }
        assertAllReadBack(refs, sent);
        assertThat(pages.segmentCount()).isGreaterThan(1);
    }

    @Test
    void aDirectoryThatCannotBeWrittenGivesAClearError() throws IOException {
        open(4096, 4096);
        createDenied.set(true);
        assertThatThrownBy(() -> pages.write(numbered(1, 100))).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write to the page file in " + temp.resolve("pages"))
                .hasMessageContaining("not writable");
        createDenied.set(false);
        long ref = pages.write(numbered(1, 100));
        assertThat(pages.read(new long[] {ref})).containsExactly(numbered(1, 100));
    }

    @Test
    void aDirectoryThatVanishedGivesAClearError() throws IOException {
        pages = PageFile.open(temp.resolve("pages"));
        Files.delete(temp.resolve("pages"));
        assertThatThrownBy(() -> pages.write(numbered(1, 100))).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write to the page file in " + temp.resolve("pages"))
                .hasMessageContaining("disk is full or the directory is not writable");
    }
}
