package io.tunnelmq.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class FileRecordLogTest {
    @TempDir
    Path dir;

    private List<String> reopen() throws IOException {
        List<String> live = new ArrayList<>();
        FileRecordLog.open(dir, r -> live.add(r.id() + "=" + new String(r.data())
                + (r.annotation() == null ? "" : "/" + r.annotation()[0]))).close();
        return live;
    }

    @Test
    void liveRecordsComeBackInOrderWithAnnotationsAndWithoutDeletes() throws Exception {
        try (FileRecordLog log = FileRecordLog.open(dir, r -> { })) {
            log.append(List.of(new RecordLog.Add(1, "a".getBytes()), new RecordLog.Add(2, "b".getBytes())))
                    .get(5, TimeUnit.SECONDS);
            log.appendLazily(List.of(new RecordLog.Annotate(1, new byte[] {4}))).get(5, TimeUnit.SECONDS);
            log.append(List.of(new RecordLog.Add(3, "c".getBytes()), new RecordLog.Delete(2))).get(5, TimeUnit.SECONDS);
            log.appendLazily(List.of(new RecordLog.Delete(99))).get(5, TimeUnit.SECONDS);
        }
        assertThat(reopen()).containsExactly("1=a/4", "3=c");
    }

    @Test
    void manyConcurrentAppendsShareSyncsAndAllComplete() throws Exception {
        try (FileRecordLog log = FileRecordLog.open(dir, r -> { })) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 1; i <= 500; i++) {
                all.add(log.append(List.of(new RecordLog.Add(i, ("m" + i).getBytes()))));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        assertThat(reopen()).hasSize(500).startsWith("1=m1").endsWith("500=m500");
    }

    @Test
    void aTornTailIsDroppedAndTheLogStaysAppendable() throws Exception {
        try (FileRecordLog log = FileRecordLog.open(dir, r -> { })) {
            log.append(List.of(new RecordLog.Add(1, "a".getBytes()))).get(5, TimeUnit.SECONDS);
            log.append(List.of(new RecordLog.Add(2, "bbbbbbbb".getBytes()))).get(5, TimeUnit.SECONDS);
        }
        Path file = dir.resolve(FileRecordLog.FILE_NAME);
        long size = Files.size(file);
        for (long cut = size - 1; cut > size - 20; cut--) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            assertThat(reopen()).as("cut at " + cut).containsExactly("1=a");
        }
        try (FileRecordLog log = FileRecordLog.open(dir, r -> { })) {
            log.append(List.of(new RecordLog.Add(3, "c".getBytes()))).get(5, TimeUnit.SECONDS);
        }
        assertThat(reopen()).containsExactly("1=a", "3=c");
    }

    @Test
    void anUnusableDirectoryIsNamedInTheError() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> FileRecordLog.open(notADir.resolve("data"), r -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining(notADir.resolve("data").toAbsolutePath().toString());
    }

    @Test
    void appendsAfterCloseFail() throws Exception {
        FileRecordLog log = FileRecordLog.open(dir, r -> { });
        log.close();
        log.close();
        assertThat(log.append(List.of(new RecordLog.Add(1, new byte[0])))).isCompletedExceptionally();
    }
}
