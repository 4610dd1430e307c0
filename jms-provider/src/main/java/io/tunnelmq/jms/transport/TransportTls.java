package io.tunnelmq.jms.transport;

import java.util.Locale;

/**
 * How a {@code tmqs://} connection sets up TLS (the transport's copy of the URL's TLS options). Stores are files (PKCS12 unless a type is given); a store the URL does
 * not name comes from the standard {@code javax.net.ssl.trustStore} / {@code javax.net.ssl.keyStore} system properties
 * (and their {@code ...Password} and {@code ...Type}), and without those the JDK's default trust store is used and no
 * client certificate is sent. Passwords never appear in {@link #toString()}, logs or error messages.
 *
 * @param trustStore         the certificates the broker's certificate is checked against, or null
 * @param trustStorePassword its password, or null
 * @param trustStoreType     its type (default PKCS12)
 * @param keyStore           the client's key and certificate (mutual TLS), or null
 * @param keyStorePassword   its password (also the key's), or null
 * @param keyStoreType       its type (default PKCS12)
 * @param verifyHost         check that the broker's certificate names the host the client connects to, as HTTPS does
 */
public record TransportTls(String trustStore, String trustStorePassword, String trustStoreType, String keyStore,
                         String keyStorePassword, String keyStoreType, boolean verifyHost) {

    public TransportTls {
        trustStoreType = type(trustStoreType);
        keyStoreType = type(keyStoreType);
    }

    private static String type(String type) {
        return type == null || type.isBlank() ? "PKCS12" : type.trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // never the passwords: options end up in logs
        return "TransportTls[trustStore=" + trustStore + ", keyStore=" + keyStore + ", verifyHost=" + verifyHost + "]";
    }
}
