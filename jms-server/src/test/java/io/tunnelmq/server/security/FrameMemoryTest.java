package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class FrameMemoryTest {

    @Test
    void framesShareTheCapacityAndOneAloneAlwaysFits() {
        FrameMemory memory = new FrameMemory(1_000_000);
        assertThat(memory.tryReserve(600_000)).isTrue();
        assertThat(memory.tryReserve(600_000)).isFalse();
        assertThat(memory.reserved()).isEqualTo(600_000);
        memory.release(600_000);
        assertThat(memory.tryReserve(3_000_000)).as("larger than the budget, but alone").isTrue();
        assertThat(memory.tryReserve(100_000)).isFalse();
        memory.release(3_000_000);
        assertThat(memory.reserved()).isZero();
    }

    @Test
    void theDefaultIsAQuarterOfTheDirectMemoryAndAtLeastTwoFrames() {
        assertThat(FrameMemory.forDirectMemory(256L << 20, 16 << 20).capacity()).isEqualTo(64L << 20);
        assertThat(FrameMemory.forDirectMemory(32L << 20, 16 << 20).capacity()).isEqualTo(32L << 20);
        assertThat(PeerLimits.DEFAULTS.withLargeFrameMemory(5 << 20).frameMemory(1L << 30, 16 << 20).capacity())
                .isEqualTo(5L << 20);
        assertThatThrownBy(() -> PeerLimits.DEFAULTS.withLargeFrameMemory(1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largeFrameMemory");
    }
}
