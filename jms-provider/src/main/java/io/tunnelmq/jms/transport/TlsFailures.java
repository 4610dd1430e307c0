package io.tunnelmq.jms.transport;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Says in words why a TLS connection to the broker failed, and what to do about it: an untrusted certificate, a host
 * name the certificate does not name, a refused client certificate, a port that does not speak TLS.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /** Whether {@code failure} (or a cause of it) is a TLS failure this class can describe. */
    public static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** Why the TLS connection to {@code address} failed. */
    public static String describe(Throwable failure, String address) {
        Throwable root = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        if (root instanceof NotSslRecordException) {
            return "the broker at " + address + " answered in plain text: this port does not speak TLS; connect with"
                    + " tmq:// to it, or with tmqs:// to the broker's TLS port";
        }
        for (Throwable t = root; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException && (message.startsWith("No subject alternative")
                    || message.startsWith("No name matching"))) {
                return "the broker's certificate does not name the host in the URL (host name verification): "
                        + message + "; connect with a host name the certificate names, or (for tests only) set"
                        + " verifyHost=false";
            }
            if (t instanceof CertificateException || t.getClass().getName().contains("CertPath")
                    || message.contains("PKIX path")) {
                return "the broker's certificate is not trusted: " + message + "; give the client a trust store that"
                        + " holds the broker's certificate or its issuer (URL options trustStore and"
                        + " trustStorePassword, or -Djavax.net.ssl.trustStore)";
            }
        }
        if (closedDuringHandshake(root)) {
            // the broker refuses a peer past its connection limits on the TLS port by closing before any handshake
            return "the broker at " + address + " closed the connection before the TLS handshake completed: it"
                    + " refuses new connections while it holds its maximum (in total, or from this client's address;"
                    + " its log names which) or when the handshake outlasts its deadline; try again later, or ask its"
                    + " operator to raise the limits (--max-connections, --max-connections-per-address)";
        }
        String message = String.valueOf(root.getMessage());
        if (message.contains("bad_certificate") || message.contains("certificate_required")
                || message.contains("certificate_unknown") || message.contains("unknown_ca")) {
            return "the broker refused the client's certificate (" + message + "): give the client a key store"
                    + " (URL options keyStore and keyStorePassword) with a certificate the broker trusts";
        }
        return "the TLS handshake with the broker at " + address + " failed: " + message;
    }

    private static boolean closedDuringHandshake(Throwable failure) {
        if (failure instanceof ClosedChannelException) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (String.valueOf(suppressed.getMessage()).startsWith("Connection closed while SSL/TLS handshake")) {
                return true;
            }
        }
        return String.valueOf(failure.getMessage()).startsWith("Connection closed while SSL/TLS handshake");
    }
}
