package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.RecordLogs;
import io.tunnelmq.server.store.StoreOpenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A standalone broker whose journal was damaged mid-file refuses to start, saying which file, where and what to do;
 * with {@code --salvage} it starts with every message whose record verifies.
 */
@Timeout(60)
class JournalDamageTest {
    private static final WireDestination Q = WireDestination.queue("orders");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aDamagedJournalStopsTheStartAndSalvageKeepsWhatVerifies() throws Exception {
        Path data = dir.resolve("data");
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config().withJournal(data));
             TestClient client = TestClient.open(broker)) {
            int session = client.openSession(false);
            for (int i = 0; i < 10; i++) {
                client.sendMessage(session, PersistenceTest.persistent(Q, "m" + i)); // answered once stored
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(data)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".tmj")).sorted().findFirst()
                    .orElseThrow();
        }
        long offset = damage(segment, "body of m4");

        int exit = Broker.run(new String[]{"--port", "0", "--http-port", "0", "--data", data.toString()}, print(out),
                print(err), new CountDownLatch(0));
        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains("journal segment " + segment)
                .contains("is corrupt at offset").contains("--salvage").contains("Restore");
        assertThat(offset).isPositive();

        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> salvaged = CompletableFuture.supplyAsync(() -> Broker.run(new String[]{"--port", "0",
                "--http-port", "0", "--data", data.toString(), "--salvage"}, print(out), print(err), stop));
        try {
            eventually("the salvaged broker listens", () -> out().contains("listening on") || salvaged.isDone());
            Matcher m = Pattern.compile("listening on tmq://([^:]+):(\\d+)").matcher(out());
            assertThat(m.find()).as(out() + err()).isTrue();
            try (TestClient client = TestClient.open(m.group(1), Integer.parseInt(m.group(2)))) {
                int session = client.openSession(false);
                client.createConsumer(session, 1, Q, 20);
                List<String> received = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    Deliver d = client.awaitDelivery(session, 1);
                    received.add(id(d));
                    client.settle(session, SettleOutcome.COMPLETE, d.lockToken());
                }
                assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m5", "m6", "m7", "m8", "m9");
            }
        } finally {
            stop.countDown();
        }
        assertThat(salvaged.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(data.resolve("damaged")).isDirectory();
    }

    @Test
    void aRecordThatCannotBeReadBackStopsTheStartNamingTheJournal() throws Exception {
        Path data = dir.resolve("data");
        // the records are read back while the broker recovers, after the journal opened: a bad one still stops it
        try (RecordLog log = RecordLogs.production().open(data)) {
            log.append(List.of(new RecordLog.Add(1, new byte[] {9, 1}))).get(10, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerFixture.config().withJournal(data)).close())
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining("cannot recover the journal in " + data.toAbsolutePath())
                .hasMessageContaining("stored record 1 has format 9");
    }

    /** Flips a byte inside the first occurrence of {@code marker} in {@code file}; returns its offset. */
    private static long damage(Path file, String marker) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        assertThat(at).as("the marker is in the segment").isPositive();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[]{(byte) (bytes[at] ^ 0x20)}), at);
        }
        return at;
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
