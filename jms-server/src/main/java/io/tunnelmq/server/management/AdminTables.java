package io.tunnelmq.server.management;

import io.tunnelmq.server.queue.QueueFigures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** The management views as {@link AdminTable}s: one column layout per kind of answer, shared by every face. */
public final class AdminTables {
    private AdminTables() {
    }

    /**
     * Queues, topics and subscriptions with their figures, and a last column {@code stored} when {@code stored} answers
     * for any: over a store shared with other brokers, each queue's and stored subscription's messages there
     * ({@link Management#storedMessages(DestinationView)}).
     */
    public static AdminTable destinations(List<DestinationView> views,
                                          Function<DestinationView, Optional<Long>> stored) {
        List<Optional<Long>> inStore = views.stream().map(stored).toList();
        boolean shared = inStore.stream().anyMatch(Optional::isPresent);
        List<List<String>> rows = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            DestinationView v = views.get(i);
            QueueFigures f = v.figures();
            List<String> row = new ArrayList<>(f == null
                    ? List.of(v.name(), v.kind(), yesNo(v.temporary()), "", "", "", "", "", "", "", "")
                    : List.of(v.name(), v.kind(), yesNo(v.temporary()), n(f.stats().depth()),
                    n(f.stats().available()), n(f.stats().locked()), n(f.stats().scheduled()),
                    n(f.stats().consumers()), n(f.totals().enqueued()), n(f.totals().deadLettered()),
                    n(f.oldestAvailableMillis())));
            if (shared) {
                row.add(inStore.get(i).map(AdminTables::n).orElse(""));
            }
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of("name", "kind", "temporary", "messages", "available", "locked",
                "scheduled", "consumers", "enqueued", "dead-lettered", "oldest-ms"));
        if (shared) {
            columns.add("stored");
        }
        return new AdminTable(columns, rows);
    }

    /** Messages, as {@link Management#browse} shows them. */
    public static AdminTable messages(List<MessageView> views) {
        List<List<String>> rows = new ArrayList<>(views.size());
        for (MessageView v : views) {
            rows.add(List.of(s(v.messageId()), v.type(), n(v.priority()), v.state(), n(v.deliveryCount()),
                    s(v.lockOwner()), v.lockMillisLeft() < 0 ? "" : n(v.lockMillisLeft()), time(v.timestamp()),
                    time(v.expiration()), v.persistent() ? "persistent" : "non-persistent", s(v.correlationId()),
                    properties(v.properties()), n(v.bodySize()), v.bodyPreview()));
        }
        return new AdminTable(List.of("id", "type", "priority", "state", "delivery-count", "lock-owner",
                "lock-left-ms", "timestamp", "expiration", "mode", "correlation-id", "properties", "body-size",
                "body"), rows);
    }

    /** Open connections. */
    public static AdminTable connections(List<ConnectionView> views) {
        List<List<String>> rows = new ArrayList<>(views.size());
        for (ConnectionView v : views) {
            rows.add(List.of(n(v.id()), v.address(), s(v.user()), s(v.clientId()), n(v.sessions()), n(v.consumers()),
                    n(v.bytesIn()), n(v.bytesOut()), time(v.openedAtMillis())));
        }
        return new AdminTable(List.of("id", "address", "user", "client-id", "sessions", "consumers", "bytes-in",
                "bytes-out", "opened"), rows);
    }

    /** What a move, copy or replay did. */
    public static AdminTable moved(String verb, MoveResult result) {
        return AdminTable.of(List.of(verb, "locked-left"), List.of(n(result.moved()), n(result.lockedLeft())));
    }

    /** One count: {@code purged 12}. */
    public static AdminTable count(String column, long value) {
        return AdminTable.of(List.of(column), List.of(n(value)));
    }

    /** Properties as {@code k=v, ...} in name order. */
    static String properties(Map<String, Object> properties) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(properties).forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    private static String time(long epochMillis) {
        return epochMillis == 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    private static String n(long value) {
        return Long.toString(value);
    }

    private static String s(String value) {
        return value == null ? "" : value;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
