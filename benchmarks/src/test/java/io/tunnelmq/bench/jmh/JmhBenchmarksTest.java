package io.tunnelmq.bench.jmh;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Send;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The JMH annotation processor ran (so `jmh` finds the benchmarks), and each benchmark method does real work. */
@Timeout(10)
class JmhBenchmarksTest {

    @Test
    void theBenchmarkListNamesEveryBenchmarkClass() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList written by jmh-generator-annprocess").isNotNull();
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains(FrameCodecBenchmark.class.getName(), SelectorBenchmark.class.getName());
        }
    }

    @Test
    void codecBenchmarksDecodeWhatTheyEncode() {
        FrameCodecBenchmark b = new FrameCodecBenchmark();
        b.bodySize = 1024;
        b.setUp();
        try {
            assertThat(b.encodeSend()).isGreaterThan(1024);
            assertThat(b.encodeDeliver()).isGreaterThan(1024);
            assertThat(b.decodeSend()).isInstanceOf(Send.class);
            assertThat(b.decodeSend()).isInstanceOf(Send.class);
            assertThat(b.decodeDeliver()).isInstanceOf(Deliver.class);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void selectorBenchmarksSelectTheirMessage() {
        SelectorBenchmark b = new SelectorBenchmark();
        b.setUp();

        assertThat(b.evaluateSimple()).isTrue();
        assertThat(b.evaluateMix()).isTrue();
        assertThat(b.compileMix().text()).isEqualTo(SelectorBenchmark.MIX);
    }
}
