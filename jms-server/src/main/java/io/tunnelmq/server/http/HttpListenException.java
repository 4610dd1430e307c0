package io.tunnelmq.server.http;

import java.net.BindException;

/** The broker could not open its HTTP port. */
public final class HttpListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int port;

    HttpListenException(String host, int port, Throwable cause) {
        super("cannot open the HTTP port " + host + ":" + port + ": " + (cause instanceof BindException
                ? "address already in use" : String.valueOf(cause.getMessage())), cause);
        this.port = port;
    }

    /** The port that could not be opened. */
    public int port() {
        return port;
    }
}
