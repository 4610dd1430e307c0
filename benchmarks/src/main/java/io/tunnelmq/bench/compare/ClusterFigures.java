package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.CpuTicks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of one {@code cluster} run goes, over its measured window: CPU of the broker JVMs, of this JVM (the
 * clients) and of the rest of the machine (PostgreSQL, mostly), and the database's commits and WAL syncs
 * ({@code pg_stat_database}, {@code pg_stat_wal}: PostgreSQL 14 and later). Taken from {@code /proc} and the
 * database's statistics; a figure that cannot be had shows as "-".
 */
final class ClusterFigures implements ClusterLoad.Window {
    private final List<Long> brokerPids;
    private final String jdbcUrl;
    private final String database;
    private long[] start;
    private long[] end;
    private long startNanos;
    private long endNanos;

    /** {@code jdbcUrl} null: no database (a broker on its journal). */
    ClusterFigures(List<Long> brokerPids, String jdbcUrl, String database) {
        this.brokerPids = List.copyOf(brokerPids);
        this.jdbcUrl = jdbcUrl;
        this.database = database;
    }

    @Override
    public void opened() {
        startNanos = System.nanoTime();
        start = sample();
    }

    @Override
    public void closed() {
        endNanos = System.nanoTime();
        end = sample();
    }

    /** brokers' CPU ticks, this JVM's, the machine's busy ticks, the database's commits, WAL syncs. */
    private long[] sample() {
        long brokers = 0;
        for (long pid : brokerPids) {
            long t = CpuTicks.process(pid);
            brokers = brokers < 0 || t < 0 ? -1 : brokers + t;
        }
        return new long[]{brokers, CpuTicks.process(ProcessHandle.current().pid()), CpuTicks.machineBusy(),
                statistic("SELECT xact_commit FROM pg_stat_database WHERE datname = ?", database),
                statistic("SELECT wal_sync FROM pg_stat_wal", null)};
    }

    private long statistic(String sql, String argument) {
        if (jdbcUrl == null) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
             PreparedStatement s = c.prepareStatement(sql)) {
            if (argument != null) {
                s.setString(1, argument);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private long delta(int i) {
        return start == null || end == null || start[i] < 0 || end[i] < 0 ? -1 : end[i] - start[i];
    }

    /**
     * The table's columns after the rates: database commits per message received, WAL syncs per second, CPU
     * milliseconds per message received (brokers, clients, rest of the machine) and how busy the machine was.
     */
    String columns(long received) {
        double seconds = (endNanos - startNanos) / 1e9;
        long brokers = delta(0);
        long clients = delta(1);
        long busy = delta(2);
        int cores = Runtime.getRuntime().availableProcessors();
        return String.join(" | ", perMessage(delta(3), received, 1, "%.2f"), rate(delta(4), seconds),
                perMessage(brokers, received, 1000.0 / CpuTicks.PER_SECOND, "%.3f"),
                perMessage(clients, received, 1000.0 / CpuTicks.PER_SECOND, "%.3f"),
                brokers < 0 || clients < 0 || busy < 0 ? "-"
                        : perMessage(busy - brokers - clients, received, 1000.0 / CpuTicks.PER_SECOND, "%.3f"),
                busy < 0 ? "-" : String.format(Locale.ROOT, "%.0f %%",
                        100.0 * busy / (seconds * CpuTicks.PER_SECOND * cores)));
    }

    static String header() {
        return "DB commits/msg | WAL syncs/s | CPU ms/msg brokers | clients | PostgreSQL and rest | machine busy";
    }

    private static String perMessage(long value, long messages, double scale, String format) {
        return value < 0 || messages <= 0 ? "-" : String.format(Locale.ROOT, format, value * scale / messages);
    }

    private static String rate(long value, double seconds) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.0f", value / seconds);
    }
}
