package io.tunnelmq.bench.paging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident memory as Linux tells it in {@code /proc/<pid>/status}: {@code VmRSS} now and {@code VmHWM},
 * the most it ever had (the high-water mark). What a broker's heap setting does not show: direct buffers, metaspace,
 * thread stacks and mapped files all count.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /**
     * A field of a status text in bytes: {@code field("VmHWM:\t  123 kB\n...", "VmHWM")} is 125,952; empty when the
     * text has no such field or it is not in kB.
     */
    public static OptionalLong field(String statusText, String name) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith(name + ":")) {
                String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equalsIgnoreCase("kB")) {
                    try {
                        return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** The status text of {@code pid}; empty where there is no /proc (not Linux) or the process is gone. */
    public static String status(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
