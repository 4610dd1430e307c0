package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.tunnelmq.server.security.CertificateUsers;
import io.tunnelmq.server.session.BrokerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Follows a TLS connection's handshake: counts it, logs a failed one (throttled per address), closes a peer that has
 * not finished it by the {@link HandshakeDeadline}, and, once it succeeded, notes the user the client's certificate
 * logs in ({@link #CERTIFICATE_USER}, for the {@link Login}). Leaves the pipeline when the handshake is done.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {
    static final String NAME = "tls-watch";
    /** The user the connection's verified client certificate maps to; unset when none does. */
    static final AttributeKey<String> CERTIFICATE_USER = AttributeKey.valueOf("tunnelmq.certificateUser");
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatch.class);

    private final BrokerCounters counters;
    private final LogThrottle complaints;
    private final CertificateUsers users;
    private boolean failed;

    /** @param users subject to user mapping, or null when certificates log in nobody */
    TlsHandshakeWatch(BrokerCounters counters, LogThrottle complaints, CertificateUsers users) {
        this.counters = counters;
        this.complaints = complaints;
        this.users = users;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                counters.tlsHandshakeCompleted();
                noteCertificateUser(ctx);
                ctx.pipeline().remove(this);
            } else {
                failed(ctx, "TLS handshake failed: " + done.cause().getMessage());
            }
            ctx.fireUserEventTriggered(event);
        } else if (event == HandshakeDeadline.OVERDUE) {
            // a peer that never finishes the TLS handshake sends no Hello either: close it now, no error frame can reach it
            failed(ctx, "no TLS handshake within the handshake deadline");
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof SSLException) {
            failed(ctx, "TLS handshake failed: " + problem.getMessage());
            ctx.close(); // the SslHandler closes too; this makes sure
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void failed(ChannelHandlerContext ctx, String why) {
        if (failed) {
            return; // one failure, one count and at most one line, however many events tell of it
        }
        failed = true;
        counters.tlsHandshakeFailed();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        complaints.warn(log, LogThrottle.Kind.HANDSHAKE, remote.getAddress(), "connection from " + remote
                + " to the TLS port closed: " + why);
    }

    private void noteCertificateUser(ChannelHandlerContext ctx) {
        if (users == null) {
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return; // client authentication "want": this client brought no certificate
        }
        if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
            String user = users.userOf(certificate.getSubjectX500Principal());
            if (user != null) {
                ctx.channel().attr(CERTIFICATE_USER).set(user);
            } else {
                log.info("connection from {}: its certificate {} logs in no user (not in the certificate users file);"
                        + " it needs a user name and password", ctx.channel().remoteAddress(),
                        certificate.getSubjectX500Principal().getName());
            }
        }
    }
}
