package io.tunnelmq.bench.paging;

import io.tunnelmq.bench.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Options of the {@code backlog} command: one phase of a paging scenario against any JMS provider.
 *
 * @param jndiFile   JNDI environment with {@code ConnectionFactory} and {@code queue/bench}
 * @param phase      what to do
 * @param messages   fill: messages to send over all producers; drain: messages to receive; mixed: the backlog
 *                   already queued
 * @param size       body bytes
 * @param persistent persistent messages (sent synchronously by every provider here)
 * @param producers  fill: producers sending at once, each its own connection and its own sequence
 * @param duration   mixed: the longest the producer and the consumer run together
 * @param idle       drain: the longest to wait for the next message; fill: for the next send to complete
 */
public record BacklogOptions(Path jndiFile, Phase phase, long messages, int size, boolean persistent, int producers,
                             Duration duration, Duration idle) {

    static final String USAGE = """
            backlog: one phase of a paging scenario, objects from JNDI (ConnectionFactory, queue/bench)
              --jndi FILE          JNDI environment (required)
              --phase PHASE        fill: send --messages with no consumer, each with properties producer and seq;
                                   drain: one consumer receives --messages and checks each producer's order;
                                   mixed: with --messages queued, a producer and a consumer at full speed together
                                   until the consumer has received --messages (the backlog drained) or --duration
              --messages N         (required)
              --size BYTES         body size (1024)
              --persistent         persistent messages (default non-persistent)
              --producers N        fill: producers at once, each its own connection (1)
              --duration TIME      mixed: the longest it runs (60s)
              --idle TIME          drain: the longest wait for the next message; fill: for the next send (60s)
            prints a last line RESULT phase=... seconds=... sent=... failedSends=... received=... orderErrors=... left=...
            """;

    /** What a phase does. */
    public enum Phase {
        FILL, DRAIN, MIXED;

        static Phase parse(String s) {
            for (Phase p : values()) {
                if (p.name().equalsIgnoreCase(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--phase must be fill, drain or mixed, not '" + s + "'");
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BacklogOptions {
        if (messages < 1) {
            throw new IllegalArgumentException("--messages must be at least 1, was " + messages);
        }
        if (size < 0) {
            throw new IllegalArgumentException("--size must be >= 0, was " + size);
        }
        if (producers < 1) {
            throw new IllegalArgumentException("--producers must be at least 1, was " + producers);
        }
        if (duration.isNegative() || duration.isZero() || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("--duration and --idle must be above 0");
        }
    }

    static BacklogOptions from(CommandLine line) {
        String jndi = line.string("jndi", null);
        String phase = line.string("phase", null);
        if (jndi == null || phase == null || !line.has("messages")) {
            throw new IllegalArgumentException("backlog needs --jndi FILE, --phase fill|drain|mixed and --messages N");
        }
        return new BacklogOptions(Path.of(jndi), Phase.parse(phase), line.longValue("messages", 0),
                line.integer("size", 1024), line.flag("persistent"), line.integer("producers", 1),
                line.duration("duration", Duration.ofSeconds(60)), line.duration("idle", Duration.ofSeconds(60)));
    }
}
