package io.tunnelmq.bench.paging;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code backlog} command: one phase of a paging scenario ({@link BacklogOptions}). The comparison runs each
 * phase in a fresh JVM against a broker it started, and reads the {@link BacklogResult} line the phase prints last.
 */
public final class BacklogCommand {
    private BacklogCommand() {
    }

    public static int run(List<String> args) throws Exception {
        Optional<BacklogOptions> read = CommandLine.options(args, BacklogOptions.USAGE, BacklogOptions::from);
        if (read.isEmpty()) {
            return ExitCode.OK;
        }
        BacklogOptions options = read.get();
        Context context = context(options.jndiFile());
        BacklogResult result;
        try {
            ConnectionFactory factory = (ConnectionFactory) context.lookup("ConnectionFactory");
            Destination queue = (Destination) context.lookup("queue/bench");
            BacklogPhases phases = new BacklogPhases(options, factory, queue, System.err);
            result = switch (options.phase()) {
                case FILL -> phases.fill();
                case DRAIN -> phases.drain();
                case MIXED -> phases.mixed();
            };
        } finally {
            context.close();
        }
        System.out.println(result.line());
        return result.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The JNDI context of a properties file: every provider here builds its objects from such properties. */
    static Context context(Path file) throws IOException, NamingException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return new InitialContext(new Hashtable<>(p));
    }
}
