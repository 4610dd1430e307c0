package io.tunnelmq.samples;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of {@code samples.jar}: {@code java -jar samples/target/samples.jar <name> [args]} runs one sample
 * program against the broker named by {@code jndi.properties} ({@code tmq://127.0.0.1:9494} unless
 * {@code -Djava.naming.provider.url=...} or a jndi.properties of your own earlier on the class path says otherwise).
 * With no or an unknown name it lists the samples and exits with status 2; a sample that fails exits with 1.
 */
public final class Samples {
    static final int USAGE = 2;
    static final int FAILED = 1;

    /** Every sample by the name it is run with, in the order they are listed. */
    static final Map<String, Sample> ALL = all();

    private Samples() {
    }

    public static void main(String[] args) throws Exception {
        Sample sample = args.length == 0 ? null : ALL.get(args[0]);
        if (sample == null) {
            if (args.length > 0) {
                System.err.println("unknown sample '" + args[0] + "'");
            }
            printUsage(System.out);
            System.exit(USAGE);
            return;
        }
        Context jndi = null;
        try {
            // InitialContext reads every jndi.properties on the class path (the jar carries one) and the
            // java.naming.* system properties; our TunnelInitialContextFactory turns them into connection
            // factories, queues and topics
            jndi = new InitialContext();
            sample.run(jndi, List.of(Arrays.copyOfRange(args, 1, args.length)), System.out);
        } catch (Exception e) {
            System.err.println("sample '" + args[0] + "' failed: " + e);
            e.printStackTrace();
            System.exit(FAILED);
        } finally {
            if (jndi != null) {
                jndi.close();
            }
        }
        // no System.exit on success: the JVM ends by itself once the sample has closed its connections
    }

    static void printUsage(PrintStream out) {
        out.println("usage: java -jar samples.jar <sample> [args]");
        out.println("samples:");
        ALL.forEach((name, sample) -> out.printf("  %-14s %s%n", name, sample.description()));
        out.println("The broker and the queue and topic names come from jndi.properties (tmq://127.0.0.1:9494 by "
                + "default); -Djava.naming.provider.url=tmq://host:port points the samples at another broker.");
    }

    private static Map<String, Sample> all() {
        Map<String, Sample> all = new LinkedHashMap<>();
        all.put("queue", new QueueSendReceive());
        all.put("topic", new TopicPublishSubscribe());
        all.put("durable", new DurableSubscriber());
        all.put("request-reply", new RequestReply());
        all.put("client-ack", new ClientAcknowledge());
        all.put("transacted", new TransactedSendReceive());
        all.put("peek-lock", new PeekLock());
        all.put("context", new SimplifiedApi());
        return Collections.unmodifiableMap(all);
    }
}
