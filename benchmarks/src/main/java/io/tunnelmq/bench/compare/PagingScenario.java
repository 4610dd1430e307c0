package io.tunnelmq.bench.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 15's scenarios: backlogs beyond memory. Each takes minutes (hundreds of MB to fill and drain), so none is in
 * the comparison's default list; {@code --scenarios paging} runs all four. They run in phases ({@link PagingComparison})
 * instead of the load tool's warm-up and measured window.
 */
enum PagingScenario {
    /** 8 KiB persistent messages into a -Xmx256m broker with no consumer, then one consumer drains them in order. */
    BACKLOG_PERSISTENT("paging-backlog-persistent", true),
    /** The same with non-persistent messages. */
    BACKLOG_NP("paging-backlog-np", false),
    /** A backlog of 1 KiB persistent messages, then a producer and a consumer at full speed together. */
    MIXED("paging-mixed", true),
    /** A TunnelMQ journal holding a backlog: how soon a restarted broker accepts connections and delivers. */
    RECOVERY("recovery-1m", true);

    /** The name that selects all four. */
    static final String ALL = "paging";

    final String id;
    final boolean persistent;

    PagingScenario(String id, boolean persistent) {
        this.id = id;
        this.persistent = persistent;
    }

    static Optional<PagingScenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The paging scenarios named in a comma-separated list ({@value #ALL}: all); other names are not theirs. */
    static List<PagingScenario> in(String list) {
        List<String> names = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.contains(ALL)) {
            return List.of(values());
        }
        return names.stream().map(PagingScenario::byId).flatMap(Optional::stream).toList();
    }

    /** {@code list} without the paging scenarios' names: what the load scenarios parse. */
    static String others(String list) {
        return String.join(",", Arrays.stream(list.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty() && !s.equals(ALL) && byId(s).isEmpty()).toList());
    }
}
