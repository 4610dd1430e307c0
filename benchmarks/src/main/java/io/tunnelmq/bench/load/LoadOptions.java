package io.tunnelmq.bench.load;

import io.tunnelmq.bench.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one load run does. Built from the {@code load} command's options; see {@link #USAGE}.
 *
 * @param label           name of the run in progress lines, the table and the CSV
 * @param jndiFile        properties file for the JNDI environment, or null for jndi.properties / -D properties
 * @param factoryName     JNDI name of the ConnectionFactory
 * @param destinationName JNDI name of the queue or topic
 * @param topic           publish/subscribe: every consumer is a subscriber and gets every message
 * @param persistent      DeliveryMode.PERSISTENT
 * @param producers       producers (request/reply: requesters), each with its own Connection and Session
 * @param consumers       consumers (request/reply: responders), each with its own Connection and Session
 * @param size            message body bytes
 * @param ack             consumers' acknowledgement mode
 * @param batch           messages per acknowledge (client) or per commit (transacted, both sides)
 * @param warmup          time run before measuring (time mode)
 * @param duration        measured time (time mode)
 * @param messages        count mode when > 0: producers send this many in total and the run ends when they
 *                        have arrived (no warm-up)
 * @param rate            fixed-rate mode when > 0: messages per second over all producers; latency counts from
 *                        the intended send time (with {@code requestReply}: requests over all requesters, still one
 *                        in flight per requester, the round trip counted from the request's intended send time)
 * @param requestReply    request/reply mode: a requester waits for each reply; reports the round trip
 * @param fixedReplyQueue request/reply answers go to the JNDI queue {@code replyQueueName} instead of a temporary
 *                        queue per requester
 * @param replyQueueName  JNDI name of the fixed reply queue
 * @param hold            processing time a consumer holds each message before acknowledging it
 * @param csv             CSV file the result row is appended to, or null
 * @param timeout         the longest a count-mode run may take (and a drain)
 * @param drain           after the measured window the producers stop and the consumers keep receiving until nothing
 *                        has arrived for a second, so the run leaves no backlog on the broker for the next one
 */
public record LoadOptions(String label, Path jndiFile, String factoryName, String destinationName, boolean topic,
                          boolean persistent, int producers, int consumers, int size, AckMode ack, int batch,
                          Duration warmup, Duration duration, long messages, int rate, boolean requestReply,
                          boolean fixedReplyQueue, String replyQueueName, Duration hold, Path csv,
                          Duration timeout, boolean drain, long cpuOf) {

    public static final String USAGE = """
            load: runs producers and consumers against any JMS provider, objects from JNDI only.
              --jndi FILE           JNDI environment (default: jndi.properties on the class path and -D properties
                                    java.naming.*, connectionFactory.*, queue.*, topic.*)
              --factory NAME        connection factory JNDI name (ConnectionFactory)
              --destination NAME    destination JNDI name (queue/bench, or topic/bench with --topic)
              --topic               publish/subscribe instead of a queue
              --persistent          persistent messages (default non-persistent)
              --producers N         producers, each its own Connection+Session (1)
              --consumers N         consumers, each its own Connection+Session (1)
              --size BYTES          message body size (1024)
              --ack MODE            auto | dups-ok | client | transacted | individual (auto)
              --batch N             messages per acknowledge (client) or per commit (transacted) (1; transacted 10)
              --warmup TIME         warm-up before measuring (5s)
              --duration TIME       measured time (10s)
              --messages N          count mode instead: send N messages, stop when all arrived
              --rate N              fixed rate, messages/s over all producers; latency from the intended send time
                                    (request/reply: requests/s, one in flight per requester)
              --request-reply       requesters (--producers) wait for each reply from responders (--consumers)
              --reply-to temporary|fixed   where replies go (temporary queue per requester)
              --reply-queue NAME    JNDI name of the fixed reply queue (queue/bench.reply)
              --hold TIME           processing time per message before it is acknowledged (0)
              --label NAME          name of the run (load)
              --csv FILE            append the result row to this CSV file
              --timeout TIME        longest a count-mode run (or a drain) may take (5m)
              --drain               at the end, stop the producers and receive until nothing arrives for 1 s:
                                    leaves no backlog (a warm-up run before another run on the same broker)
              --cpu-of PID          also count this process's CPU time per message over the measured window (the
                                    broker's, on Linux; this JVM's own is always counted there)
            """;

    public LoadOptions {
        requirePositive("producers", producers);
        requirePositive("consumers", consumers);
        if (size < 0) {
            throw new IllegalArgumentException("--size must be >= 0, was " + size);
        }
        requirePositive("batch", batch);
        if (rate < 0 || messages < 0) {
            throw new IllegalArgumentException("--rate and --messages must be >= 0");
        }
        if (messages == 0 && duration.isZero()) {
            throw new IllegalArgumentException("give a --duration above 0 or a --messages count");
        }
        if (requestReply && topic) {
            throw new IllegalArgumentException("--request-reply works on a queue; drop --topic");
        }
        if (requestReply && ack == AckMode.TRANSACTED && batch > 1) {
            throw new IllegalArgumentException("--request-reply with --ack transacted needs --batch 1: a responder "
                    + "that commits every " + batch + " replies keeps its requesters waiting forever");
        }
    }

    /** Reads the {@code load} command's options. */
    public static LoadOptions from(CommandLine line) {
        boolean topic = line.flag("topic");
        AckMode ack = AckMode.parse(line.string("ack", "auto"));
        String replyTo = line.string("reply-to", "temporary");
        if (!replyTo.equals("temporary") && !replyTo.equals("fixed")) {
            throw new IllegalArgumentException("--reply-to must be temporary or fixed, not '" + replyTo + "'");
        }
        String jndi = line.string("jndi", null);
        String csv = line.string("csv", null);
        return new LoadOptions(
                line.string("label", "load"),
                jndi == null ? null : Path.of(jndi),
                line.string("factory", "ConnectionFactory"),
                line.string("destination", topic ? "topic/bench" : "queue/bench"),
                topic,
                line.flag("persistent"),
                line.integer("producers", 1),
                line.integer("consumers", 1),
                line.integer("size", 1024),
                ack,
                line.integer("batch", ack == AckMode.TRANSACTED ? 10 : 1),
                line.duration("warmup", Duration.ofSeconds(5)),
                line.duration("duration", Duration.ofSeconds(10)),
                line.longValue("messages", 0),
                line.integer("rate", 0),
                line.flag("request-reply"),
                replyTo.equals("fixed"),
                line.string("reply-queue", "queue/bench.reply"),
                line.duration("hold", Duration.ZERO),
                csv == null ? null : Path.of(csv),
                line.duration("timeout", Duration.ofMinutes(5)),
                line.flag("drain"),
                line.longValue("cpu-of", 0));
    }

    public boolean countMode() {
        return messages > 0;
    }

    /** Messages the consumers must receive in count mode: every subscriber gets each one on a topic. */
    public long expectedReceives() {
        return topic ? messages * consumers : messages;
    }

    /** A short description for the table: "queue np 1KiB 1->1 auto". */
    public String shape() {
        String kind = requestReply ? "request/reply" : topic ? "topic" : "queue";
        return kind + " " + (persistent ? "persistent" : "non-persistent") + " " + size + "B "
                + producers + "->" + consumers + " " + ack.label()
                + (batch > 1 ? "/" + batch : "") + (rate > 0 ? " @" + rate + "/s" : "")
                + (hold.isZero() ? "" : " hold " + hold.toMillis() + "ms");
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
        }
    }
}
