package io.tunnelmq.protocol.codec;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts the heap bytes this thread allocates while decoding one fuzz input, so a decoder that trusts an announced
 * length (allocating what the peer claims rather than what it sent) fails the test even when the heap is big
 * enough to survive it.
 */
final class Allocations {
    /** Room for the decoder's own objects, whatever the input: far below any announced length worth attacking. */
    private static final long SLACK = 1 << 20;
    /** Bytes a decoder may allocate per input byte (strings take 2 bytes a char, plus copies and maps). */
    private static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long start = THREADS.getCurrentThreadAllocatedBytes();

    private Allocations() {
    }

    static Allocations start() {
        return new Allocations();
    }

    /** Fails when the bytes allocated since {@link #start} are out of proportion to the input. */
    void assertBoundedBy(int inputBytes) {
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - start;
        assertThat(allocated).as("bytes allocated decoding %s input bytes", inputBytes)
                .isLessThanOrEqualTo(SLACK + PER_INPUT_BYTE * inputBytes);
    }
}
