package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sizes of the paging scenarios ({@link PagingScenario}); the defaults are issue 15's, smaller counts make
 * shorter runs on a slow machine (the table says what ran).
 *
 * @param backlogMessages  paging-backlog-*: messages filled and drained
 * @param backlogSize      paging-backlog-*: body bytes
 * @param smallHeap        paging-backlog-*: -Xmx of both brokers
 * @param artemisPageBytes Artemis's max-size-bytes per address (address-full-policy PAGE) in every paging scenario
 * @param mixedMessages    paging-mixed: the backlog before the producer and consumer run together
 * @param mixedDuration    paging-mixed: the longest they run together
 * @param recoveryMessages recovery-1m: messages in the journal at the restart
 * @param recoveryHeap     recovery-1m: -Xmx of the broker
 * @param fillProducers    producers filling a backlog at once (synchronous sends, each its own connection)
 * @param tunnelConfig     a broker.properties for TunnelMQ's paging runs ({@code --config}), or null for defaults
 */
record PagingOptions(long backlogMessages, int backlogSize, String smallHeap, long artemisPageBytes,
                     long mixedMessages, Duration mixedDuration, long recoveryMessages, String recoveryHeap,
                     int fillProducers, Path tunnelConfig) {

    static final String USAGE = """
              paging scenarios (not in all; --scenarios paging runs the four):
                paging-backlog-persistent, paging-backlog-np, paging-mixed, recovery-1m (TunnelMQ only)
              --backlog-messages N   paging-backlog-*: messages (100000)
              --backlog-size BYTES   paging-backlog-*: body size (8192)
              --small-heap SIZE      paging-backlog-*: both brokers' -Xmx (256m)
              --artemis-page-bytes N Artemis max-size-bytes per address, policy PAGE (67108864)
              --mixed-messages N     paging-mixed: backlog of 1 KiB persistent messages first (1000000)
              --mixed-duration TIME  paging-mixed: longest producer+consumer phase (60s)
              --recovery-messages N  recovery-1m: 1 KiB persistent messages in the journal (1000000)
              --recovery-heap SIZE   recovery-1m: broker -Xmx (1g)
              --fill-producers N     producers filling a backlog, synchronous sends (8)
              --tunnelmq-config FILE broker.properties for TunnelMQ's paging runs (its defaults)
            """;

    PagingOptions {
        if (backlogMessages < 1 || mixedMessages < 1 || recoveryMessages < 1) {
            throw new IllegalArgumentException("--backlog-messages, --mixed-messages and --recovery-messages must be "
                    + "at least 1");
        }
        if (backlogSize < 0 || artemisPageBytes < 1 || fillProducers < 1) {
            throw new IllegalArgumentException("--backlog-size must be >= 0, --artemis-page-bytes and "
                    + "--fill-producers at least 1");
        }
        if (mixedDuration.isZero() || mixedDuration.isNegative()) {
            throw new IllegalArgumentException("--mixed-duration must be above 0");
        }
    }

    static PagingOptions from(CommandLine line) {
        String config = line.string("tunnelmq-config", null);
        return new PagingOptions(line.longValue("backlog-messages", 100_000), line.integer("backlog-size", 8192),
                line.string("small-heap", "256m"), line.longValue("artemis-page-bytes", 64L * 1024 * 1024),
                line.longValue("mixed-messages", 1_000_000), line.duration("mixed-duration", Duration.ofSeconds(60)),
                line.longValue("recovery-messages", 1_000_000), line.string("recovery-heap", "1g"),
                line.integer("fill-producers", 8), config == null ? null : Path.of(config));
    }
}
