package io.tunnelmq.bench.jmh;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The broker's selector evaluator: compiled once, evaluated per message per consumer on every queue with a
 * selector. A simple comparison, a mix of AND/OR/IN/LIKE/BETWEEN, and the cost of compiling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectorBenchmark {
    static final String SIMPLE = "weight > 10";
    static final String MIX = "(color = 'red' OR color = 'blue') AND region LIKE 'EU-%' "
            + "AND category IN ('music', 'books', 'games') AND price BETWEEN 1.5 AND 20 AND NOT express = FALSE";

    private WireMessage message;
    private Selector simple;
    private Selector mix;

    @Setup
    public void setUp() {
        message = BenchMessages.bytesMessage(1024, BenchMessages.applicationProperties());
        simple = Selector.compile(SIMPLE);
        mix = Selector.compile(MIX);
        if (!simple.matches(message) || !mix.matches(message)) {
            throw new IllegalStateException("the benchmark selectors must select the benchmark message");
        }
    }

    @Benchmark
    public boolean evaluateSimple() {
        return simple.matches(message);
    }

    @Benchmark
    public boolean evaluateMix() {
        return mix.matches(message);
    }

    @Benchmark
    public Selector compileMix() {
        return Selector.compile(MIX);
    }
}
