package io.tunnelmq.bench.broker;

import io.netty.handler.ssl.OpenSsl;

/**
 * The TLS provider Artemis runs on in the TLS scenarios, acceptor and client alike: OpenSSL (BoringSSL through
 * netty-tcnative, on this module's class path) when Netty can load it here, the JDK's otherwise — the choice TunnelMQ
 * makes, so both brokers' TLS runs on the same engine. {@code -Dio.netty.handler.ssl.noOpenSsl=true} puts both on
 * the JDK's.
 */
public final class ArtemisTls {
    private ArtemisTls() {
    }

    /** Artemis's {@code sslProvider} parameter: {@code OPENSSL} or {@code JDK}. */
    public static String provider() {
        return OpenSsl.isAvailable() ? "OPENSSL" : "JDK";
    }

    /** The provider for a report: {@code OPENSSL (BoringSSL)} or {@code JDK (17.0.x)}. */
    static String describe() {
        return OpenSsl.isAvailable() ? "OPENSSL (" + OpenSsl.versionString() + ")"
                : "JDK (" + System.getProperty("java.version") + ")";
    }
}
