package io.tunnelmq.server;

import io.tunnelmq.server.security.PasswordFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The broker's command line: {@code [--host H] [--port N] [--http-port N] [--data DIR] [--config FILE] [--users FILE
 * [--allow-anonymous]] [--peers H:P,...] [--max-connections N] [--max-connections-per-address N] [--tls-port N
 * --tls-keystore FILE ...] [--help]}. Flags
 * win over the config file. ({@code passwd FILE USER} is a command of its own, run by {@link Broker}.)
 *
 * @param help          print usage and exit
 * @param config        the resulting settings (defaults when {@code help})
 * @param users         the users file's users, or null without {@code --users} (everyone may connect)
 * @param httpPortGiven whether {@code --http-port} was given: a port asked for on the command line must open, while
 *                      the default one may be taken (by a second broker on the machine) and only gives a warning
 * @param salvage       whether {@code --salvage} was given: open a damaged journal with every record that verifies
 */
record BrokerArguments(boolean help, BrokerConfig config, PasswordFile users, boolean httpPortGiven,
                       boolean salvage) {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar jms-server.jar [--host HOST] [--port PORT] [--http-port PORT] [--data DIR]",
            "                                [--config FILE] [--users FILE [--allow-anonymous]]",
            "                                [--permissions FILE]",
            "                                [--peers HOST:PORT,...]",
            "                                [--max-connections N] [--max-connections-per-address N]",
            "                                [--tls-port PORT --tls-keystore FILE [--tls-keystore-password PW]",
            "                                 [--tls-client-auth none|want|need] [--tls-truststore FILE",
            "                                 [--tls-truststore-password PW]] [--tls-certificate-users FILE]",
            "                                 [--tls-only]] [--salvage]",
            "       java -jar jms-server.jar passwd FILE USER   (sets USER's hashed password; reads it from stdin)",
            "       java -jar jms-server.jar admin --url tmq://HOST:PORT COMMAND   (queues, browse, purge, move, ...;"
                    + " admin --help)",
            "",
            "Runs a TunnelMQ broker until it is stopped (Ctrl-C or SIGTERM).",
            "",
            "  --host HOST     address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --port PORT     port to listen on, 0..65535 (default 9494; 0 picks a free port)",
            "  --http-port PORT  HTTP port on HOST serving GET /metrics (Prometheus text format),",
            "                  /health/ready and /health/live (probes) and the web console,",
            "                  0 = off (default 9495; if 9495 is taken the broker warns and runs",
            "                  without it; config file key: http.port)",
            "  --data DIR      data directory, created if missing (default ./data): the journal",
            "                  of persistent messages (unless the config file says store=memory)",
            "  --salvage       start even if the journal is damaged (the broker refuses to otherwise):",
            "                  keep every record that verifies, rewrite each damaged segment without",
            "                  the damage and move the damaged file to DIR/damaged/; records in the",
            "                  damaged spans are lost. Use it once, after the error told you to",
            "  --users FILE    users file (write it with the passwd command): only those users may connect",
            "                  (read again when it changes)",
            "  --allow-anonymous  with --users, also let in clients that give no user name",
            "  --permissions FILE  with --users: which roles may send, consume, browse, create on",
            "                  which destinations (read again when it changes; config file key:",
            "                  permissions). Without it every user may use every destination",
            "  --peers HOST:PORT,...  other brokers this one names to its clients, which fail over",
            "                  to them when it goes away (default none; config file key: peers)",
            "  --max-connections N  connections open at once, in total (default 4096)",
            "  --max-connections-per-address N  connections open at once from one IP address (default 512)",
            "  --tls-port PORT TLS port on HOST (TLS 1.2/1.3), for tmqs:// clients; the plain port stays",
            "                  open unless --tls-only (config file keys: tls.port, tls.keystore, ...)",
            "  --tls-keystore FILE  PKCS12 file with the broker's key and certificate chain",
            "  --tls-keystore-password PW  its password (prefer tls.keystorePassword in the config file:",
            "                  other users of the machine can read command lines)",
            "  --tls-client-auth none|want|need  ask clients for a certificate (default none)",
            "  --tls-truststore FILE  PKCS12 file of the certificates client certificates are checked",
            "                  against (default: the JDK's); --tls-truststore-password PW",
            "  --tls-certificate-users FILE  user=subject lines (alice=CN=alice,O=Example): a client",
            "                  whose verified certificate has that subject is logged in as that user",
            "  --tls-only      open no plain port, only the TLS port",
            "  --config FILE   properties file: lockDuration, maxDeliveryCount, receiveBufferBytes,",
            "                  memoryLimitBytes, maxFrameSize, maxHeartbeatMillis, host, port, http.port, data,",
            "                  redeliveryDelay (ms, 0 = none), redeliveryMultiplier (2.0),",
            "                  maxRedeliveryDelay (ms, 60000), queueMaxBytes (0 = memoryLimitBytes),",
            "                  consumerLagBytes (a queue with consumers holds at most this; 8 MiB),",
            "                  expiryQueue (where expired messages go; unset = dropped),",
            "                  peers (as --peers), maxConnections, maxConnectionsPerAddress,",
            "                  handshakeTimeout (ms from connect to login, 10000),",
            "                  loginFailureDelay (ms, 100; doubles per failure of a user from an address),",
            "                  maxLoginFailureDelay (5000),",
            "                  loginCache (ms a passed password check is remembered, 60000; 0 = none),",
            "                  largeFrameMemory (bytes frames over 64 KiB may hold while received, all",
            "                  connections; 0 = a quarter of the direct memory),",
            "                  store (journal = persistent messages survive restarts, the default;",
            "                  memory = nothing is kept; postgresql = kept in the database named by",
            "                  postgresql.url (jdbc:postgresql://host:port/db), postgresql.user,",
            "                  postgresql.password, postgresql.poolSize (6); data keeps the page file;",
            "                  brokers on one database share its queues: postgresql.heartbeatMillis (1000),",
            "                  postgresql.staleMillis (10000: a silent broker's messages go to the others)),",
            "                  paging (true: past the memory limits queues keep messages on disk, the",
            "                  default with the journal; false: the memory limits hold producers back),",
            "                  maxDiskBytes (messages kept on disk before producers wait; 0 = 90 % of",
            "                  the data directory's free space),",
            "                  and queue.<name>.<setting> for lockDuration, maxDeliveryCount,",
            "                  redeliveryDelay, redeliveryMultiplier, maxRedeliveryDelay, maxBytes",
            "  --help          print this help and exit",
            "");

    /**
     * @throws IllegalArgumentException with a one-line message saying which argument is wrong and why
     */
    static BrokerArguments parse(String[] args) {
        String host = null;
        Integer port = null;
        Integer httpPort = null;
        Path data = null;
        Path configFile = null;
        Path usersFile = null;
        Path permissionsFile = null;
        boolean allowAnonymous = false;
        List<String> peers = null;
        Integer maxConnections = null;
        Integer maxPerAddress = null;
        TlsConfig tlsFlags = new TlsConfig(null);
        boolean tlsGiven = false;
        boolean salvage = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return new BrokerArguments(true, BrokerConfig.defaults(), null, false, false);
                }
                case "--host" -> host = value(args, ++i, arg);
                case "--port" -> port = port(value(args, ++i, arg), arg);
                case "--http-port" -> httpPort = port(value(args, ++i, arg), arg);
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "--config" -> configFile = Path.of(value(args, ++i, arg));
                case "--users" -> usersFile = Path.of(value(args, ++i, arg));
                case "--allow-anonymous" -> allowAnonymous = true;
                case "--salvage" -> salvage = true;
                case "--permissions" -> permissionsFile = Path.of(value(args, ++i, arg));
                case "--peers" -> peers = peers(value(args, ++i, arg));
                case "--max-connections" -> maxConnections = positive(value(args, ++i, arg), arg);
                case "--max-connections-per-address" -> maxPerAddress = positive(value(args, ++i, arg), arg);
                case "--tls-port", "--tls-keystore", "--tls-keystore-password", "--tls-client-auth", "--tls-truststore",
                     "--tls-truststore-password", "--tls-certificate-users" -> {
                    tlsFlags.set(TLS_KEYS.get(arg), value(args, ++i, arg), arg);
                    tlsGiven = true;
                }
                case "--tls-only" -> {
                    tlsFlags.set("tls.only", "true", arg);
                    tlsGiven = true;
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        // the standalone broker keeps persistent messages and opens its HTTP port for monitoring; an embedded one keeps
        // memory and opens no other port unless asked
        BrokerConfig config = BrokerConfig.defaults().withStore(BrokerConfig.StoreKind.JOURNAL)
                .withHttpPort(BrokerConfig.DEFAULT_HTTP_PORT);
        if (configFile != null) {
            config = BrokerConfigFile.apply(config, configFile);
        }
        if (tlsGiven) {
            // flags win over the file, key by key: replay them on top of what the file said
            TlsConfig tls = new TlsConfig(config.tls());
            for (int i = 0; i < args.length; i++) {
                if (TLS_KEYS.containsKey(args[i])) {
                    tls.set(TLS_KEYS.get(args[i]), args[++i], args[i - 1]);
                } else if (args[i].equals("--tls-only")) {
                    tls.set("tls.only", "true", args[i]);
                }
            }
            config = tls.applyTo(config);
        }
        if (host != null) {
            config = config.withHost(host);
        }
        if (port != null) {
            config = config.withPort(port);
        }
        if (httpPort != null) {
            config = config.withHttpPort(httpPort);
        }
        if (data != null) {
            config = config.withDataDir(data);
        }
        if (peers != null) {
            config = config.withPeers(peers);
        }
        if (maxConnections != null) {
            config = config.withPeerLimits(config.peerLimits().withMaxConnections(maxConnections));
        }
        if (maxPerAddress != null) {
            config = config.withPeerLimits(config.peerLimits().withMaxConnectionsPerAddress(maxPerAddress));
        }
        if (permissionsFile != null) {
            config = config.withPermissionsFile(permissionsFile);
        }
        if (config.permissionsFile() != null && usersFile == null) {
            throw new IllegalArgumentException("a permissions file (" + config.permissionsFile() + ") needs a users"
                    + " file: without --users nobody logs in, so no rule could name them");
        }
        if (allowAnonymous && usersFile == null) {
            throw new IllegalArgumentException("--allow-anonymous only makes sense with --users: without it everyone"
                    + " may connect");
        }
        PasswordFile users = usersFile == null ? null
                : PasswordFile.load(usersFile, allowAnonymous, config.peerLimits().loginCacheMillis());
        return new BrokerArguments(false, config, users, httpPort != null, salvage);
    }

    /** The TLS flags that take a value, and their config file keys. */
    private static final Map<String, String> TLS_KEYS = Map.of("--tls-port", "tls.port",
            "--tls-keystore", "tls.keystore", "--tls-keystore-password", "tls.keystorePassword",
            "--tls-client-auth", "tls.clientAuth", "--tls-truststore", "tls.truststore",
            "--tls-truststore-password", "tls.truststorePassword", "--tls-certificate-users", "tls.certificateUsers");

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        if (args[index].isBlank()) {
            throw new IllegalArgumentException("option " + option + " needs a non-empty value");
        }
        return args[index];
    }

    private static List<String> peers(String value) {
        try {
            return PeerAddress.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--peers: " + e.getMessage());
        }
    }

    private static int positive(String value, String option) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a whole number");
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + n);
        }
        return n;
    }

    private static int port(String value, String option) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " " + port + " is out of range 0..65535");
        }
        return port;
    }
}
