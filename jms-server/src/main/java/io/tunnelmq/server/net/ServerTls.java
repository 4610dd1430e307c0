package io.tunnelmq.server.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.tunnelmq.server.security.CertificateUsers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The broker's TLS context, made from {@link TlsSettings} at start and again when its files change
 * ({@link TlsReloader}): TLS 1.2 and 1.3 only, forward-secret AEAD
 * cipher suites only, OpenSSL (BoringSSL through netty-tcnative) when it is on the class path, the JDK's TLS otherwise.
 */
final class ServerTls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * TLS 1.3's suites (all ephemeral key exchange and AEAD), then TLS 1.2's ECDHE with GCM or ChaCha20-Poly1305; the
     * ones the provider lacks are left out.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * The context, the certificate users it logs in (null: certificates log in nobody), the broker's certificate in
     * words for the log (its subject and when it expires), and when it expires (null: the key store has none).
     */
    record Context(SslContext ssl, CertificateUsers users, String certificate, Instant expires) {
    }

    private ServerTls() {
    }

    /**
     * @throws IllegalArgumentException naming the file and the cause when a store cannot be read (never the password)
     */
    static Context open(TlsSettings settings) {
        KeyManagerFactory keys;
        TrustManagerFactory trust = null;
        X509Certificate served;
        try {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keyStore = load(settings.keyStore(), settings.keyStorePassword(), "key store (--tls-keystore)");
            served = certificate(keyStore);
            keys.init(keyStore, settings.keyStorePassword().toCharArray());
            if (settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(settings.trustStore() == null ? null : load(settings.trustStore(),
                        settings.trustStorePassword(), "trust store (--tls-truststore)"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS key store " + settings.keyStore() + ": " + e.getMessage(),
                    e);
        }
        SslContextBuilder builder = SslContextBuilder.forServer(keys)
                .sslProvider(provider())
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(switch (settings.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case WANT -> ClientAuth.OPTIONAL;
                    case NEED -> ClientAuth.REQUIRE;
                });
        if (trust != null) {
            builder.trustManager(trust);
        }
        Instant expires = served == null ? null : served.getNotAfter().toInstant();
        String described = served == null ? "no certificate with a key"
                : "certificate " + served.getSubjectX500Principal().getName() + ", valid until " + expires;
        try {
            return new Context(builder.build(), settings.certificateUsers() == null ? null
                    : CertificateUsers.load(settings.certificateUsers()), described, expires);
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS with the key store " + settings.keyStore() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The key store's first certificate with a key (the one served), or null. */
    private static X509Certificate certificate(KeyStore keyStore) throws KeyStoreException {
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate x509) {
                return x509;
            }
        }
        return null;
    }

    /** OpenSSL when netty-tcnative is present and works here, else the JDK. */
    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** What the broker's TLS runs on, for the start-up log. */
    static String describeProvider() {
        return provider() == SslProvider.OPENSSL ? OpenSsl.versionString() : "the JDK (" + System.getProperty(
                "java.version") + ")";
    }

    private static KeyStore load(Path file, String password, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the TLS " + what + " " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password shows as an IOException whose cause is an UnrecoverableKeyException
            throw new IllegalArgumentException("cannot read the TLS " + what + " " + file + " as PKCS12: "
                    + (e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong password" : e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }
}
