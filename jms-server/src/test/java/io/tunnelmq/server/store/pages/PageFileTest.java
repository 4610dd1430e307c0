package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.tunnelmq.server.store.pages.PageMessages.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class PageFileTest {
    @TempDir
    Path temp;
    private PageFile pages;

    @AfterEach
    void closePages() {
        if (pages != null) {
            pages.close();
        }
    }

    private PageFile open(long segmentBytes, int bufferBytes) throws IOException {
        pages = PageFile.open(temp.resolve("pages"), segmentBytes, bufferBytes, PageChannel::onDisk);
        return pages;
    }

    private List<Path> pageFiles() throws IOException {
        try (Stream<Path> files = Files.list(temp.resolve("pages"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static long[] refs(List<Long> refs) {
        return refs.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void messagesOfEveryBodyTypeComeBackWithTheirHeadersAndProperties() throws IOException {
        open(PageFile.DEFAULT_SEGMENT_BYTES, 64 * 1024);
        List<WireMessage> sent = new ArrayList<>();
        for (BodyType type : BodyType.values()) {
            sent.add(PageMessages.withBody("ID:" + type, type, type == BodyType.MESSAGE ? null
                    : ("body of " + type).getBytes(StandardCharsets.UTF_8)));
        }
        sent.add(PageMessages.bare());
        sent.add(PageMessages.withBody("ID:empty", BodyType.BYTES, new byte[0]));
        sent.add(numbered(1, 200_000)); // larger than the write buffer: written on its own
        List<Long> refs = new ArrayList<>();
        for (WireMessage m : sent) {
            refs.add(pages.write(m));
        }
        assertThat(refs).allMatch(r -> r > 0).doesNotHaveDuplicates();
        assertThat(pages.read(refs(refs))).containsExactlyElementsOf(sent);
        assertThat(pages.bytesOnDisk()).isGreaterThan(200_000);
    }

    @Test
    void aBatchComesBackInTheOrderAskedWhetherFromTheFileOrTheBuffer() throws IOException {
        open(1024 * 1024, 16 * 1024);
        List<Long> refs = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            refs.add(pages.write(numbered(n, 100 + n % 7 * 300)));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(15));
        long[] asked = order.stream().mapToLong(refs::get).toArray();
        WireMessage[] read = pages.read(asked);
        for (int i = 0; i < asked.length; i++) {
            int n = order.get(i);
            assertThat(read[i]).isEqualTo(numbered(n, 100 + n % 7 * 300));
        }
        // a sparse pick, as a selector makes, and a ref asked twice
        long[] sparse = {refs.get(400), refs.get(3), refs.get(250), refs.get(3)};
        assertThat(pages.read(sparse)).containsExactly(numbered(400, 100 + 400 % 7 * 300),
                numbered(3, 100 + 3 % 7 * 300), numbered(250, 100 + 250 % 7 * 300), numbered(3, 100 + 3 % 7 * 300));
        assertThat(pages.read(new long[0])).isEmpty();
    }

    @Test
    void recentlyWrittenMessagesAreReadFromTheBufferBeforeAnyWrite() throws IOException {
        open(PageFile.DEFAULT_SEGMENT_BYTES, 1024 * 1024);
        long first = pages.write(numbered(1, 1024));
        assertThat(pages.read(new long[] {first})).containsExactly(numbered(1, 1024));
        assertThat(Files.size(pageFiles().get(0))).as("still in the buffer").isZero();
        // writing on and reading right behind the writer, as a pager that keeps up does
        List<Long> refs = new ArrayList<>(List.of(first));
        for (int n = 2; n <= 3000; n++) {
            refs.add(pages.write(numbered(n, 1024)));
            if (n % 97 == 0) {
                assertThat(pages.read(refs(refs.subList(refs.size() - 5, refs.size()))))
                        .containsExactly(numbered(n - 4, 1024), numbered(n - 3, 1024), numbered(n - 2, 1024),
                                numbered(n - 1, 1024), numbered(n, 1024));
            }
        }
        assertThat(Files.size(pageFiles().get(0))).as("the buffer was written when it filled").isPositive();
        WireMessage[] all = pages.read(refs(refs));
        for (int n = 1; n <= 3000; n++) {
            assertThat(all[n - 1]).isEqualTo(numbered(n, 1024));
        }
    }

    @Test
    void aSegmentIsDeletedOnceEveryMessageInItIsFreedAndNotBefore() throws IOException {
        open(8 * 1024, 4 * 1024);
        List<Long> refs = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            refs.add(pages.write(numbered(n, 1000)));
        }
        List<Path> files = pageFiles();
        assertThat(files).hasSizeGreaterThan(2);
        assertThat(pages.segmentCount()).isEqualTo(files.size());
        Path firstFile = temp.resolve("pages").resolve("page-1.seg");
        List<Long> inFirst = refs.stream().filter(r -> PageRef.segment(r) == 1).toList();
        assertThat(inFirst).hasSizeGreaterThan(1);
        long bytesBefore = pages.bytesOnDisk();

        for (Long ref : inFirst.subList(0, inFirst.size() - 1)) {
            pages.free(ref);
        }
        assertThat(firstFile).as("one message in it is still live").exists();
        long last = inFirst.get(inFirst.size() - 1);
        int lastIndex = refs.indexOf(last);
        assertThat(pages.read(new long[] {last})).containsExactly(numbered(lastIndex, 1000));

        pages.free(last);
        assertThat(firstFile).doesNotExist();
        assertThat(pages.bytesOnDisk()).isLessThan(bytesBefore);
        assertThatThrownBy(() -> pages.read(new long[] {last})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page ref " + last);
        assertThatThrownBy(() -> pages.free(last)).isInstanceOf(IllegalArgumentException.class);

        // the segment being written stays while it is written, even with nothing live in it
        long current = PageRef.segment(refs.get(refs.size() - 1));
        for (Long ref : refs.subList(inFirst.size(), refs.size())) {
            pages.free(ref);
        }
        assertThat(pageFiles()).containsExactly(temp.resolve("pages").resolve("page-" + current + ".seg"));
        for (int n = 0; n < 10; n++) {
            pages.free(pages.write(numbered(n, 1000)));
        }
        assertThat(pageFiles()).hasSize(1).doesNotContain(temp.resolve("pages").resolve("page-" + current + ".seg"));
    }

    @Test
    void unknownAndDoubleFreedRefsAreCallerBugs() throws IOException {
        open(PageFile.DEFAULT_SEGMENT_BYTES, 4096);
        long ref = pages.write(numbered(1, 10));
        assertThatThrownBy(() -> pages.read(new long[] {ref + (99L << 32)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown or was freed");
        assertThatThrownBy(() -> pages.read(new long[] {ref + 100_000})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pages.read(new long[] {0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pages.free(-1)).isInstanceOf(IllegalArgumentException.class);
        pages.free(ref);
        assertThatThrownBy(() -> pages.free(ref)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("freed twice");
    }

    @Test
    void aDamagedRecordNamesTheFileAndTheOffset() throws IOException {
        open(PageFile.DEFAULT_SEGMENT_BYTES, 4096);
        List<Long> refs = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            refs.add(pages.write(numbered(n, 1000)));
        }
        Path file = pageFiles().get(0);
        long damaged = refs.get(1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x55}), PageRef.offset(damaged) + 600);
        }
        assertThatThrownBy(() -> pages.read(new long[] {refs.get(0), damaged})).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("offset " + PageRef.offset(damaged))
                .hasMessageContaining("checksum");
        assertThat(pages.read(new long[] {refs.get(0), refs.get(2)})).containsExactly(numbered(0, 1000),
                numbered(2, 1000));
    }

    @Test
    void openDeletesThePageFilesAPreviousRunLeftAndNothingElse() throws IOException {
        Path directory = temp.resolve("pages");
        Files.createDirectories(directory);
        Files.write(directory.resolve("page-1.seg"), new byte[1000]);
        Files.write(directory.resolve("page-17.seg"), new byte[10]);
        Files.writeString(directory.resolve("notes.txt"), "not ours");
        open(PageFile.DEFAULT_SEGMENT_BYTES, 4096);
        assertThat(pageFiles()).isEmpty();
        assertThat(directory.resolve("notes.txt")).hasContent("not ours");
        assertThat(pages.bytesOnDisk()).isZero();
        long ref = pages.write(numbered(5, 100));
        assertThat(pages.read(new long[] {ref})).containsExactly(numbered(5, 100));
        pages.close();
        assertThat(pageFiles()).isEmpty();
        assertThat(directory.resolve("notes.txt")).as("close leaves what is not its own").exists();
    }

    @Test
    void openCreatesTheDirectoryAndRefusesAFile() throws IOException {
        Path nested = temp.resolve("a").resolve("b").resolve("pages");
        try (PageFile created = PageFile.open(nested)) {
            assertThat(nested).isDirectory();
            assertThat(created.directory()).isEqualTo(nested);
        }
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertThatThrownBy(() -> PageFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
    }

    @Test
    void closeDeletesEverythingAndLaterCallsFailOrDoNothing() throws IOException {
        open(16 * 1024, 4096);
        List<Long> refs = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            refs.add(pages.write(numbered(n, 1000)));
        }
        assertThat(pageFiles()).hasSizeGreaterThan(1);
        pages.close();
        assertThat(temp.resolve("pages")).doesNotExist();
        assertThat(pages.bytesOnDisk()).isZero();
        assertThatThrownBy(() -> pages.write(numbered(1, 10))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> pages.read(refs(refs))).isInstanceOf(IOException.class).hasMessageContaining("closed");
        pages.free(refs.get(0));
        pages.close();
    }
}
