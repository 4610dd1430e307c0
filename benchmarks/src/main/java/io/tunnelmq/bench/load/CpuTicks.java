package io.tunnelmq.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time as Linux counts it in {@code /proc}, in clock ticks (USER_HZ, 100 per second on every Linux this runs on):
 * one process's ({@code /proc/<pid>/stat}: user + system time) and the whole machine's busy time ({@code /proc/stat}:
 * everything but idle and iowait). -1 where there is no {@code /proc} (not Linux) or the process is gone.
 */
public final class CpuTicks {
    /** USER_HZ: what {@code /proc} counts CPU time in. */
    public static final int PER_SECOND = 100;

    private CpuTicks() {
    }

    public static long process(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static long machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
