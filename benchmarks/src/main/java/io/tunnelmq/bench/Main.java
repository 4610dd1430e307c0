package io.tunnelmq.bench;

import io.tunnelmq.bench.broker.BrokerCommand;
import io.tunnelmq.bench.compare.ClusterCommand;
import io.tunnelmq.bench.compare.CompareCommand;
import io.tunnelmq.bench.scale.ScaleCommand;
import io.tunnelmq.bench.load.LoadCommand;
import io.tunnelmq.bench.logins.LoginsCommand;
import io.tunnelmq.bench.paging.BacklogCommand;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar benchmarks.jar <command> [options]}: {@code load} (the JMS load tool), {@code compare} (TunnelMQ
 * against ActiveMQ Artemis), {@code jmh} (micro-benchmarks, JMH's own options), {@code broker} (one broker in this
 * JVM; the comparison starts its brokers this way). Exit codes: 0 done, 1 a run failed, 2 bad arguments.
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar benchmarks.jar <command> [options]
              load      run producers/consumers against any JMS provider (objects from JNDI)
              compare   start TunnelMQ and ActiveMQ Artemis brokers and run the same scenarios against both
              jmh       JMH micro-benchmarks (frame codec, selectors); takes JMH's options, e.g. jmh -f 1 Selector
              broker    run one broker: broker tunnelmq|artemis --port N [--data DIR]
              backlog   one phase of a paging scenario (fill, drain, mixed) against any JMS provider
              cluster   persistent throughput through 1, 2, 3 brokers over one embedded PostgreSQL
              scale     10,000 idle connections and 1,000 slow queues on TunnelMQ and Artemis, side by side
              logins    a storm of logins to a TunnelMQ broker with a users file, as after its restart
            java -jar benchmarks.jar <command> --help shows a command's options.
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args);
        System.out.flush();
        System.err.flush();
        // providers may leave non-daemon threads behind; the command is over either way
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            return args.length == 0 ? ExitCode.BAD_ARGUMENTS : ExitCode.OK;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "load" -> LoadCommand.run(rest);
                case "compare" -> CompareCommand.run(rest);
                case "jmh" -> {
                    org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
                    yield ExitCode.OK;
                }
                case "broker" -> BrokerCommand.run(rest);
                case "backlog" -> BacklogCommand.run(rest);
                case "cluster" -> ClusterCommand.run(rest);
                case "scale" -> ScaleCommand.run(rest);
                case "logins" -> LoginsCommand.run(rest);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            return ExitCode.BAD_ARGUMENTS;
        } catch (IllegalStateException e) {
            // a broker that cannot be reached, a JNDI context that cannot be built: say so, no stack trace
            System.err.println("error: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }
}
