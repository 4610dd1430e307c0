package io.tunnelmq.jms;

import java.io.Serializable;
import java.util.Locale;

/**
 * The TLS settings of a {@code tmqs://} connection URL. Stores are files (PKCS12 unless a type is given); a store the
 * URL does not name comes from the standard {@code javax.net.ssl.trustStore} / {@code javax.net.ssl.keyStore} system
 * properties (with their {@code ...Password} and {@code ...Type}), and without those the JDK's default trust store is
 * used and no client certificate is sent. Passwords never appear in {@link #toString()}, logs or error messages.
 *
 * @param trustStore         URL option {@code trustStore}: the certificates the broker's certificate is checked
 *                           against, or null
 * @param trustStorePassword {@code trustStorePassword}, or null
 * @param trustStoreType     {@code trustStoreType} (default PKCS12)
 * @param keyStore           {@code keyStore}: the client's key and certificate, for mutual TLS, or null
 * @param keyStorePassword   {@code keyStorePassword} (also the key's), or null
 * @param keyStoreType       {@code keyStoreType} (default PKCS12)
 * @param verifyHost         {@code verifyHost} (default true): the broker's certificate must name the host of the URL,
 *                           as for HTTPS
 */
public record TlsOptions(String trustStore, String trustStorePassword, String trustStoreType, String keyStore,
                         String keyStorePassword, String keyStoreType, boolean verifyHost) implements Serializable {

    /** TLS with the JDK's trust store (or the system properties'), host name verification on. */
    public static final TlsOptions DEFAULTS = new TlsOptions(null, null, null, null, null, null, true);

    public TlsOptions {
        trustStoreType = type(trustStoreType);
        keyStoreType = type(keyStoreType);
    }

    private static String type(String type) {
        return type == null || type.isBlank() ? "PKCS12" : type.trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // never the passwords: options end up in logs
        return "TlsOptions[trustStore=" + trustStore + ", keyStore=" + keyStore + ", verifyHost=" + verifyHost + "]";
    }
}
