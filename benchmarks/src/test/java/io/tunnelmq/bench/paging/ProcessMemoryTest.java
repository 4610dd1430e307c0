package io.tunnelmq.bench.paging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ProcessMemoryTest {
    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4512340 kB
            VmHWM:\t  612344 kB
            VmRSS:\t  401000 kB
            Threads:\t42
            VmOdd:\t 12 pages
            """;

    @Test
    void readsKilobyteFieldsAsBytes() {
        assertThat(ProcessMemory.field(STATUS, "VmHWM")).hasValue(612_344L * 1024);
        assertThat(ProcessMemory.field(STATUS, "VmRSS")).hasValue(401_000L * 1024);
    }

    @Test
    void aMissingFieldOrOneNotInKilobytesIsEmpty() {
        assertThat(ProcessMemory.field(STATUS, "VmSwap")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessMemory.field(STATUS, "Threads")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessMemory.field(STATUS, "VmOdd")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessMemory.field("", "VmRSS")).isEqualTo(OptionalLong.empty());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisProcessHasAResidentSizeAndAHighWaterMarkAtLeastAsBig() {
        String status = ProcessMemory.status(ProcessHandle.current().pid());

        long rss = ProcessMemory.field(status, "VmRSS").orElseThrow();
        assertThat(rss).isPositive();
        assertThat(ProcessMemory.field(status, "VmHWM").orElseThrow()).isGreaterThanOrEqualTo(rss);
        assertThat(ProcessMemory.status(-1)).isEmpty();
    }
}
