package io.tunnelmq.server;

import io.tunnelmq.server.net.TlsSettings;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Collects the TLS settings of the command line and the config file, which may come in any order (a port before its
 * key store), and makes them one {@link TlsSettings} at the end. Keys are named as in {@code broker.properties}:
 * {@code tls.port}, {@code tls.keystore}, {@code tls.keystorePassword}, {@code tls.clientAuth} ({@code none},
 * {@code want}, {@code need}), {@code tls.truststore}, {@code tls.truststorePassword}, {@code tls.certificateUsers},
 * {@code tls.only} ({@code true}: no plain port). Error messages never repeat a password.
 */
final class TlsConfig {
    static final String PREFIX = "tls.";

    private Integer port;
    private Path keyStore;
    private String keyStorePassword;
    private TlsSettings.ClientAuth clientAuth;
    private Path trustStore;
    private String trustStorePassword;
    private Path certificateUsers;
    private Boolean only;

    /** Starts from {@code current} (null: nothing set yet). */
    TlsConfig(TlsSettings current) {
        if (current != null) {
            port = current.port();
            keyStore = current.keyStore();
            keyStorePassword = current.keyStorePassword();
            clientAuth = current.clientAuth();
            trustStore = current.trustStore();
            trustStorePassword = current.trustStorePassword();
            certificateUsers = current.certificateUsers();
            only = current.plainDisabled();
        }
    }

    /**
     * Sets one {@code tls.*} key (without checking the others yet); {@code source} names it in errors (a key or a flag).
     *
     * @return false if {@code key} is no TLS key
     */
    boolean set(String key, String value, String source) {
        switch (key) {
            case "tls.port" -> port = port(value, source);
            case "tls.keystore" -> keyStore = Path.of(value);
            case "tls.keystorePassword" -> keyStorePassword = value;
            case "tls.clientAuth" -> clientAuth = clientAuth(value, source);
            case "tls.truststore" -> trustStore = Path.of(value);
            case "tls.truststorePassword" -> trustStorePassword = value;
            case "tls.certificateUsers" -> certificateUsers = Path.of(value);
            case "tls.only" -> only = bool(value, source);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code config} with these TLS settings (unchanged when none was given).
     *
     * @throws IllegalArgumentException when the settings do not fit together (a port without a key store, ...)
     */
    BrokerConfig applyTo(BrokerConfig config) {
        if (port == null && keyStore == null && clientAuth == null && trustStore == null && certificateUsers == null
                && only == null) {
            return config;
        }
        if (port == null || keyStore == null) {
            throw new IllegalArgumentException("TLS needs both a port (--tls-port, tls.port) and a PKCS12 key store"
                    + " (--tls-keystore, tls.keystore)");
        }
        return config.withTls(new TlsSettings(port, keyStore, keyStorePassword, clientAuth, trustStore,
                trustStorePassword, certificateUsers, only != null && only));
    }

    private static int port(String value, String source) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(source + " '" + value + "' must be a port 0..65535");
    }

    private static TlsSettings.ClientAuth clientAuth(String value, String source) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> TlsSettings.ClientAuth.NONE;
            case "want" -> TlsSettings.ClientAuth.WANT;
            case "need" -> TlsSettings.ClientAuth.NEED;
            default -> throw new IllegalArgumentException(source + " '" + value + "' must be none, want (ask clients"
                    + " for a certificate) or need (refuse clients without one)");
        };
    }

    private static boolean bool(String value, String source) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(source + " '" + value + "' must be true or false");
        };
    }
}
