package io.tunnelmq.server.net;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The broker's TLS port. Key and trust stores are PKCS12 files; the passwords never appear in {@link #toString()},
 * logs or error messages.
 *
 * @param port                  the TLS port (0 picks a free one), next to the plain one
 * @param keyStore              the broker's private key and certificate chain
 * @param keyStorePassword      the key store's password (also the key's)
 * @param clientAuth            whether clients must present a certificate
 * @param trustStore            the certificates (or their issuers) clients' certificates are checked against; null =
 *                              the JDK's default trust store
 * @param trustStorePassword    the trust store's password, or null
 * @param certificateUsers      a file mapping certificate subjects to users (see {@code CertificateUsers}), or null:
 *                              then a client certificate authenticates nobody, the client logs in with a password
 * @param plainDisabled         true: the broker opens no plain port, only this one ({@code --tls-only})
 */
public record TlsSettings(int port, Path keyStore, String keyStorePassword, ClientAuth clientAuth, Path trustStore,
                          String trustStorePassword, Path certificateUsers, boolean plainDisabled) {

    /** Whether the broker asks clients for a certificate. */
    public enum ClientAuth {
        /** It does not ask. */
        NONE,
        /** It asks; a client without one still connects (and logs in with a password). */
        WANT,
        /** A client without a certificate the trust store vouches for cannot connect. */
        NEED
    }

    public TlsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TLS port " + port + " is out of range 0..65535");
        }
        Objects.requireNonNull(keyStore, "the TLS port needs a key store (--tls-keystore)");
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (certificateUsers != null && clientAuth == ClientAuth.NONE) {
            throw new IllegalArgumentException("a certificate users file needs client certificates: set"
                    + " --tls-client-auth want or need");
        }
    }

    /** A TLS port on {@code port} with this key store, no client certificates. */
    public TlsSettings(int port, Path keyStore, String keyStorePassword) {
        this(port, keyStore, keyStorePassword, ClientAuth.NONE, null, null, null, false);
    }

    /** A copy that asks clients for certificates, checked against {@code store} (null = the JDK's). */
    public TlsSettings withClientAuth(ClientAuth auth, Path store, String password) {
        return new TlsSettings(port, keyStore, keyStorePassword, auth, store, password, certificateUsers, plainDisabled);
    }

    /** A copy whose client certificates log in the users {@code file} maps them to. */
    public TlsSettings withCertificateUsers(Path file) {
        return new TlsSettings(port, keyStore, keyStorePassword, clientAuth, trustStore, trustStorePassword, file,
                plainDisabled);
    }

    /** A copy where the broker opens this TLS port only ({@code true}) or the plain one too. */
    public TlsSettings withPlainDisabled(boolean disabled) {
        return new TlsSettings(port, keyStore, keyStorePassword, clientAuth, trustStore, trustStorePassword,
                certificateUsers, disabled);
    }

    /** A copy on another port. */
    public TlsSettings withPort(int newPort) {
        return new TlsSettings(newPort, keyStore, keyStorePassword, clientAuth, trustStore, trustStorePassword,
                certificateUsers, plainDisabled);
    }

    @Override
    public String toString() {
        // never the passwords: settings end up in logs
        return "TlsSettings[port=" + port + ", keyStore=" + keyStore + ", clientAuth=" + clientAuth + ", trustStore="
                + trustStore + ", certificateUsers=" + certificateUsers + ", plainDisabled=" + plainDisabled + "]";
    }
}
