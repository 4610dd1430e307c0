package io.tunnelmq.bench.compare;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The comparison's scenarios: the targets of issue 8. Each is a set of {@code load} options run unchanged against
 * both brokers (only the connection factory URL differs, for the no-prefetch scenarios).
 */
enum Scenario {
    NP_1TO1("np-1to1", "non-persistent 1 KiB, 1 producer -> 1 consumer, AUTO_ACKNOWLEDGE", Metric.RECEIVED_RATE,
            3, "≥ 3× Artemis", Set.of(),
            "--producers", "1", "--consumers", "1", "--size", "1024", "--ack", "auto"),
    CLIENT_4("client-4", "non-persistent 1 KiB, 1 producer -> 4 competing CLIENT_ACKNOWLEDGE consumers",
            Metric.RECEIVED_RATE, 3, "≥ 3× Artemis", Set.of(),
            "--producers", "1", "--consumers", "4", "--size", "1024", "--ack", "client"),
    PERSISTENT("persistent", "persistent 1 KiB sync sends, 1 producer (1 consumer drains)", Metric.SENT_RATE,
            5, "≥ 2,000 msg/s and ≥ 5× Artemis", Set.of(),
            "--persistent", "--producers", "1", "--consumers", "1", "--size", "1024", "--ack", "auto"),
    REQUEST_REPLY("request-reply", "request/reply 1 KiB, 1 requester, 1 responder, temporary reply queue",
            Metric.P50_LATENCY, 2, "p50 ≤ ½ Artemis", Set.of(),
            "--request-reply", "--producers", "1", "--consumers", "1", "--size", "1024", "--ack", "auto"),
    /**
     * The peek-lock promise (a competing consumer sees the next message while one is locked), kept by each broker
     * its own way: TunnelMQ with its default prefetch, which the broker revokes for an idle competitor; Artemis only
     * without a consumer window, so every receive asks the broker.
     */
    STRICT_PEEK_LOCK("strict-peek-lock", "4 competing CLIENT_ACKNOWLEDGE consumers, each message locked to one: "
            + "TunnelMQ with its revocable prefetch, Artemis with consumerWindowSize=0", Metric.RECEIVED_RATE, 10,
            "≥ 10× Artemis consumerWindowSize=0", Set.of(BrokerKind.ARTEMIS),
            "--producers", "1", "--consumers", "4", "--size", "1024", "--ack", "client");

    /** What the table compares. */
    enum Metric {
        RECEIVED_RATE("msg/s received", true),
        SENT_RATE("msg/s sent", true),
        P50_LATENCY("p50 ms", false);

        final String unit;
        final boolean higherIsBetter;

        Metric(String unit, boolean higherIsBetter) {
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
        }
    }

    final String id;
    final String description;
    final Metric metric;
    /** TunnelMQ's advantage the target asks for: ratio of rates, or Artemis latency / TunnelMQ latency. */
    final double targetRatio;
    final String target;
    /** Brokers whose consumers get no prefetch: TunnelMQ {@code prefetch=0}, Artemis {@code consumerWindowSize=0}. */
    final Set<BrokerKind> noPrefetch;
    final List<String> loadArgs;

    Scenario(String id, String description, Metric metric, double targetRatio, String target, Set<BrokerKind> noPrefetch,
             String... loadArgs) {
        this.id = id;
        this.description = description;
        this.metric = metric;
        this.targetRatio = targetRatio;
        this.target = target;
        this.noPrefetch = noPrefetch;
        this.loadArgs = List.of(loadArgs);
    }

    /** Scenarios named in a comma-separated list, or all for "all". */
    static List<Scenario> parse(String list) {
        if (list.equals("all")) {
            return List.of(values());
        }
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Scenario::byId).toList();
    }

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "'; the scenarios are "
                + java.util.Arrays.stream(values()).map(s -> s.id).toList());
    }
}
