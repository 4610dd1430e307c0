package io.tunnelmq.jms.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A {@code tmqs://} connection's TLS, ready to use: the key and trust stores are read when it is {@link #prepare
 * prepared} (on the connecting thread, never on an event loop), each connection gets its own {@link SslHandler}.
 */
public final class ClientTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final boolean verifyHost;

    private ClientTls(SslContext context, boolean verifyHost) {
        this.context = context;
        this.verifyHost = verifyHost;
    }

    /**
     * Reads the stores {@code options} name (or the {@code javax.net.ssl.*} system properties name).
     *
     * @throws IllegalArgumentException naming the store and the cause when one cannot be read (never the password)
     */
    public static ClientTls prepare(TransportTls options) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            // no store named: the JDK's default, which itself honours -Djavax.net.ssl.trustStore
            trust.init(options.trustStore() == null ? null : load(options.trustStore(), options.trustStorePassword(),
                    options.trustStoreType(), "trust store (URL option trustStore)"));
            SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trust).protocols(PROTOCOLS);
            KeyManagerFactory keys = keys(options);
            if (keys != null) {
                builder.keyManager(keys);
            }
            return new ClientTls(builder.build(), options.verifyHost());
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A handler for one connection to {@code host} (as the URL names it: what the certificate must name). */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        // set either way: Netty 4.2 turns HTTPS host name checks on by default, 4.1 off; "" (not null, which the JDK
        // ignores) turns them off
        parameters.setEndpointIdentificationAlgorithm(verifyHost ? "HTTPS" : "");
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** The client's key store: the URL's, else the {@code javax.net.ssl.keyStore} system property's, else none. */
    private static KeyManagerFactory keys(TransportTls options) throws GeneralSecurityException {
        String file = options.keyStore();
        String password = options.keyStorePassword();
        String type = options.keyStoreType();
        String what = "key store (URL option keyStore)";
        if (file == null) {
            file = System.getProperty("javax.net.ssl.keyStore");
            password = System.getProperty("javax.net.ssl.keyStorePassword");
            type = System.getProperty("javax.net.ssl.keyStoreType", "PKCS12");
            what = "key store (system property javax.net.ssl.keyStore)";
        }
        if (file == null || file.isBlank()) {
            return null;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(file, password, type, what), password == null ? new char[0] : password.toCharArray());
        return keys;
    }

    private static KeyStore load(String file, String password, String type, String what) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the TLS " + what + " " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " " + file + " as " + type + ": "
                    + (e.getCause() instanceof UnrecoverableKeyException ? "wrong password" : e.getMessage()), e);
        }
    }
}
