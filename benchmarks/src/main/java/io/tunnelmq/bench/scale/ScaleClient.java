package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import jakarta.jms.ConnectionFactory;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The client JVM of a scale run, started by the {@code scale} command: {@code idle} opens and holds the idle
 * connections until its standard input ends; {@code queues} runs the many-queues load and writes its result row.
 * Both take the connection factory from a JNDI file, so they work against either broker unchanged.
 */
public final class ScaleClient {
    private ScaleClient() {
    }

    /** {@code idle|queues --jndi FILE [options]}; exits 0 when the run went through, 1 when it failed. */
    public static void main(String[] args) throws Exception {
        int code;
        try {
            List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
            CommandLine line = CommandLine.parse(rest);
            String what = args.length == 0 ? "" : args[0];
            code = switch (what) {
                case "idle" -> IdleConnections.run(line);
                case "queues" -> ManyQueues.run(line);
                default -> throw new IllegalArgumentException("scale client: idle or queues, not '" + what + "'");
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.out.println("error: " + e.getMessage());
            code = ExitCode.BAD_ARGUMENTS;
        }
        System.out.flush();
        // providers may leave non-daemon threads behind; the run is over either way
        System.exit(code);
    }

    /** The {@code ConnectionFactory} bound in the JNDI file {@code file}. */
    static ConnectionFactory factory(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the JNDI file " + file + ": " + e.getMessage(), e);
        }
        try {
            Context context = new InitialContext(p);
            try {
                return (ConnectionFactory) context.lookup("ConnectionFactory");
            } finally {
                context.close();
            }
        } catch (NamingException e) {
            throw new IllegalStateException("no ConnectionFactory in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JNDI file named by {@code --jndi}, which must be given. */
    static Path jndi(CommandLine line) {
        String file = line.string("jndi", null);
        if (file == null) {
            throw new IllegalArgumentException("--jndi FILE is required");
        }
        return Path.of(file);
    }

    /** Returns when standard input ends: the {@code scale} command's way to say "done". */
    static void awaitEndOfInput() {
        byte[] buffer = new byte[256];
        try {
            while (System.in.read(buffer) >= 0) {
                // a lifeline only; what comes through does not matter
            }
        } catch (IOException e) {
            // the parent is gone either way
        }
    }
}
