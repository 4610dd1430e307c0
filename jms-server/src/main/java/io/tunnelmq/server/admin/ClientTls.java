package io.tunnelmq.server.admin;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The admin command's TLS, as the JMS client's {@code tmqs://} options set it: a PKCS12 trust store (or the JVM's
 * default trust, which honours {@code javax.net.ssl.trustStore}), an optional key store for mutual TLS, TLS 1.2/1.3.
 * Host names are verified unless {@code verifyHost=false}.
 */
final class ClientTls {
    private ClientTls() {
    }

    /** @throws IllegalArgumentException naming the store that cannot be read (never its password) */
    static SslContext context(AdminUrl url) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(url.option("trustStore") == null ? null
                    : load(url.option("trustStore"), url.option("trustStorePassword"), "trust store"));
            builder.trustManager(trust);
            if (url.option("keyStore") != null) {
                String password = url.option("keyStorePassword");
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(url.option("keyStore"), password, "key store"),
                        password == null ? new char[0] : password.toCharArray());
                builder.keyManager(keys);
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A handler for one connection to the URL's host, which it verifies unless told not to. */
    static SslHandler handler(SslContext context, AdminUrl url, ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc, url.host(), url.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("false".equalsIgnoreCase(url.option("verifyHost")) ? ""
                : "HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    private static KeyStore load(String file, String password, String what) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the " + what + " " + file + " (PKCS12): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
