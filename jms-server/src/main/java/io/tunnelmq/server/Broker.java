package io.tunnelmq.server;

import io.tunnelmq.server.http.HttpListenException;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.net.ListenException;
import io.tunnelmq.server.admin.AdminCommand;
import io.tunnelmq.server.security.PasswdCommand;
import io.tunnelmq.server.security.PermissionsFileException;
import io.tunnelmq.server.security.UsersFileWatch;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.RecordLogs;
import io.tunnelmq.server.store.StoreOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The standalone broker: {@code java -jar jms-server.jar [--host H] [--port N] [--http-port N] [--data DIR]
 * [--config FILE]}, and {@code java -jar jms-server.jar passwd FILE USER}, which sets a user's hashed password in a
 * users file ({@link PasswdCommand}), and {@code java -jar jms-server.jar admin ...}, which runs a management operation
 * on a running broker ({@link AdminCommand}).
 * Prints one line containing {@code listening on tmq://HOST:PORT} to stdout when ready and runs until
 * Ctrl-C or SIGTERM. Persistent messages are kept in a journal in the data directory (unless the config file says
 * {@code store=memory}); a data directory that cannot be used is logged at ERROR and the broker runs on, refusing
 * persistent messages. Over a shared PostgreSQL store, a broker the others took for dead stops serving and starts
 * again as a new member. Exit codes: 0 after a clean stop or {@code --help}, 1 if it cannot start (port in use, a
 * broken permissions file), 2 for a bad argument or config file.
 */
public final class Broker {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_BAD_ARGUMENTS = 2;
    /** A broker taken for dead starts again; while it cannot, it tries this often. */
    static final long RESTART_DELAY_MILLIS = 1_000;

    private Broker() {
    }

    public static void main(String[] args) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tmq-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = run(args, System.out, System.err, stop);
        } finally {
            stopped.countDown();
        }
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /**
     * Runs the broker until {@code stop} is counted down.
     *
     * @return the exit code: 0 stopped cleanly or printed help, 1 could not start, 2 bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        if (args.length > 0 && args[0].equals("passwd")) {
            return PasswdCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.console(), out, err);
        }
        if (args.length > 0 && args[0].equals("admin")) {
            return AdminCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), out, err);
        }
        BrokerArguments arguments;
        try {
            arguments = BrokerArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(BrokerArguments.USAGE);
            err.flush();
            return EXIT_BAD_ARGUMENTS;
        }
        if (arguments.help()) {
            out.print(BrokerArguments.USAGE);
            out.flush();
            return EXIT_OK;
        }
        try (UsersFileWatch users = arguments.users() == null ? null : UsersFileWatch.watching(arguments.users())) {
            return run(arguments, users == null ? Authenticator.ALLOW_ALL : users, out, err, stop);
        }
    }

    private static int run(BrokerArguments arguments, Authenticator authenticator, PrintStream out, PrintStream err,
                           CountDownLatch stop) {
        BrokerConfig config = arguments.config();
        EmbeddedBroker broker;
        try {
            broker = start(config, arguments, authenticator);
        } catch (ListenException e) {
            err.println(e.getMessage() + (e.addressInUse()
                    ? " — is another broker running? Choose another port with --port" : ""));
            return EXIT_CANNOT_START;
        } catch (HttpListenException e) {
            err.println(e.getMessage() + " — choose another HTTP port with --http-port (0 = none)");
            return EXIT_CANNOT_START;
        } catch (PermissionsFileException e) {
            err.println(e.getMessage());
            return EXIT_CANNOT_START;
        } catch (StoreOpenException e) {
            err.println(e.getMessage());
            return EXIT_CANNOT_START;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage()); // a TLS key store that cannot be read, and the like
            return EXIT_CANNOT_START;
        }
        AtomicReference<EmbeddedBroker> serving = new AtomicReference<>(broker);
        try {
            out.println("TunnelMQ broker " + broker.version() + " listening on " + broker.url());
            if (broker.tlsUrl() != null && !broker.tlsUrl().equals(broker.url())) {
                out.println("TLS clients connect to " + broker.tlsUrl());
            }
            if (broker.httpPort() != 0) {
                // a line of its own: scripts read the URL from the end of the line above
                out.println("Metrics at http://" + broker.host() + ":" + broker.httpPort() + "/metrics");
                out.println("Web console at http://" + broker.host() + ":" + broker.httpPort() + "/");
                out.println("Health probes at http://" + broker.host() + ":" + broker.httpPort()
                        + "/health/ready and /health/live");
            }
            out.flush();
            serve(serving, config, again -> start(again, arguments, authenticator), stopRequested(stop));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            EmbeddedBroker last = serving.get();
            if (last != null) {
                last.close();
            }
        }
        return EXIT_OK;
    }

    /** Completes when {@code stop} is counted down (a daemon thread waits for it). */
    private static CompletableFuture<Void> stopRequested(CountDownLatch stop) {
        CompletableFuture<Void> requested = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            requested.complete(null);
        }, "tmq-broker-stop");
        waiter.setDaemon(true);
        waiter.start();
        return requested;
    }

    /**
     * Serves until {@code stop} completes. A broker the other brokers over its shared store took for dead closes
     * itself ({@link EmbeddedBroker#fenced}); it is started again with the same config, as a new member of the
     * cluster (its clients fail over to it or to the others meanwhile), trying every {@link #RESTART_DELAY_MILLIS}
     * while it cannot (its database out of reach, say).
     *
     * @param serving the broker serving (null while none is), for the caller to close
     * @param starter starts a broker with a config
     */
    static void serve(AtomicReference<EmbeddedBroker> serving, BrokerConfig config,
                      Function<BrokerConfig, EmbeddedBroker> starter, CompletableFuture<Void> stop)
            throws InterruptedException {
        while (true) {
            try {
                CompletableFuture.anyOf(stop, serving.get().fenced()).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("neither completes exceptionally", e);
            }
            if (stop.isDone()) {
                return;
            }
            BrokerConfig again = samePorts(config, serving.getAndSet(null));
            while (serving.get() == null) {
                try {
                    serving.set(starter.apply(again));
                    log.info("the broker serves again at {}, as a new member of the brokers over its database",
                            serving.get().url());
                } catch (RuntimeException e) {
                    log.error("the broker cannot start again ({}); trying again in {} ms", e.getMessage(),
                            RESTART_DELAY_MILLIS);
                    try {
                        stop.get(RESTART_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                        return;
                    } catch (TimeoutException | ExecutionException notYet) {
                        // not stopped: try again
                    }
                }
            }
        }
    }

    /** {@code config} with the ports {@code broker} listened on: its clients find it again where they knew it. */
    private static BrokerConfig samePorts(BrokerConfig config, EmbeddedBroker broker) {
        BrokerConfig same = config.withHttpPort(broker.httpPort());
        if (config.tls() != null) {
            same = same.withTls(config.tls().withPort(broker.tlsPort()));
        }
        return config.tls() != null && config.tls().plainDisabled() ? same : same.withPort(broker.port());
    }

    private static RecordLog.Opener journal(BrokerArguments arguments) {
        return arguments.salvage() ? RecordLogs.salvaging() : RecordLogs.production();
    }

    /**
     * Starts the broker. The default HTTP port may be taken — by a second broker on the machine — and then the broker
     * runs without it (a warning says so); a port the command line asked for must open.
     */
    private static EmbeddedBroker start(BrokerConfig config, BrokerArguments arguments, Authenticator authenticator) {
        try {
            return EmbeddedBroker.start(config, authenticator, journal(arguments));
        } catch (HttpListenException e) {
            if (arguments.httpPortGiven() || e.port() != BrokerConfig.DEFAULT_HTTP_PORT) {
                throw e;
            }
            log.warn("{}; the broker runs without an HTTP port (no /metrics). Choose a free one with"
                    + " --http-port", e.getMessage());
            return EmbeddedBroker.start(config.withHttpPort(0), authenticator, journal(arguments));
        }
    }
}
