package io.tunnelmq.bench.broker;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.server.security.PasswordFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code broker tunnelmq|artemis --port N [--data DIR]}: runs one broker in this JVM on 127.0.0.1, prints
 * {@value #READY} and its URL when it accepts connections, and stops when standard input ends — so a broker started
 * by the comparison never outlives it, even when the comparison is killed.
 */
public final class BrokerCommand {
    /** First word of the line printed once the broker accepts connections. */
    public static final String READY = "READY";

    static final String USAGE = """
            broker tunnelmq|artemis --port N [--data DIR] [--stdin-stop true|false]
                   [--tls-keystore FILE.p12 --tls-password PW] [--http-port N] [--page-max-bytes N]
                   [--max-connections N] [--users FILE [--login-cache MS]]
              runs one broker on 127.0.0.1; stops when standard input ends (unless --stdin-stop false);
              with a key store it listens with TLS only; --http-port (tunnelmq only) serves /metrics there;
              --page-max-bytes (artemis only): every address pages (address-full-policy PAGE) past N bytes;
              --max-connections (tunnelmq only): connections it holds at once, in all and from one address (its
              defaults, 4096 and 512, would refuse a fleet of benchmark clients on 127.0.0.1; Artemis has no limit);
              --users (tunnelmq only): clients log in with the passwords of this users file, a passed check
              remembered for --login-cache ms (60000; 0 = every login checked)
            """;

    private BrokerCommand() {
    }

    public static int run(List<String> args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        if (line.flag("help") || line.positional().size() != 1) {
            System.out.print(USAGE);
            return line.flag("help") ? ExitCode.OK : ExitCode.BAD_ARGUMENTS;
        }
        int port = line.integer("port", 0);
        String data = line.string("data", null);
        boolean stdinStop = !line.string("stdin-stop", "true").equals("false");
        String keyStore = line.string("tls-keystore", null);
        String password = line.string("tls-password", "");
        Path tls = keyStore == null ? null : Path.of(keyStore);
        int httpPort = line.integer("http-port", 0);
        long pageMaxBytes = line.longValue("page-max-bytes", 0);
        int maxConnections = line.integer("max-connections", 0);
        String users = line.string("users", null);
        long loginCacheMillis = line.longValue("login-cache", PasswordFile.DEFAULT_REMEMBER_MILLIS);
        line.requireAllUsed();
        Path dataDir = data != null ? Path.of(data) : Files.createTempDirectory("bench-broker");
        String kind = line.positional().get(0);
        if (!kind.equals("tunnelmq") && !kind.equals("artemis")) {
            throw new IllegalArgumentException("broker must be tunnelmq or artemis, not '" + kind + "'");
        }
        if (httpPort != 0 && !kind.equals("tunnelmq")) {
            throw new IllegalArgumentException("--http-port is for the tunnelmq broker only: this module's Artemis has "
                    + "no HTTP endpoint");
        }
        if (pageMaxBytes != 0 && !kind.equals("artemis")) {
            throw new IllegalArgumentException("--page-max-bytes is for the artemis broker only: TunnelMQ's paging "
                    + "settings go in its broker.properties");
        }
        if (maxConnections != 0 && !kind.equals("tunnelmq")) {
            throw new IllegalArgumentException("--max-connections is for the tunnelmq broker only: Artemis's acceptor "
                    + "holds any number by default");
        }
        if (users != null && !kind.equals("tunnelmq")) {
            throw new IllegalArgumentException("--users is for the tunnelmq broker only: this module's Artemis lets"
                    + " every client in");
        }
        if (users == null && line.has("login-cache")) {
            throw new IllegalArgumentException("--login-cache needs --users: without users no password is checked");
        }
        RunningBroker broker;
        try {
            broker = kind.equals("tunnelmq")
                    ? TunnelBroker.start(port, dataDir, new TunnelBroker.Options(tls, password, httpPort,
                            maxConnections, users == null ? null : Path.of(users), loginCacheMillis))
                    : ArtemisBroker.start(port, dataDir, tls, password, pageMaxBytes);
        } catch (RuntimeException e) {
            throw new IllegalStateException(kind + " broker did not start: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "bench-broker-stop"));
        System.out.println(READY + " " + broker.url() + " " + broker.description());
        System.out.flush();
        if (stdinStop) {
            waitForEndOfInput(System.in);
            broker.close();
        } else {
            Thread.currentThread().join();
        }
        return ExitCode.OK;
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // input is only a lifeline; its content does not matter
            }
        } catch (IOException e) {
            // the parent is gone either way
        }
    }

    /** A broker the command runs. */
    interface RunningBroker {
        String url();

        /** One line about the broker: product, version, storage. */
        String description();

        void close();
    }
}
