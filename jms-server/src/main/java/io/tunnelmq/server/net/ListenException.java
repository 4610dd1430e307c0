package io.tunnelmq.server.net;

import java.net.BindException;
import java.util.Locale;

/** The broker could not open its server socket. */
public final class ListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean addressInUse;

    ListenException(String host, int port, Throwable cause) {
        super("cannot listen on " + host + ":" + port + ": " + describe(cause), cause);
        this.addressInUse = isAddressInUse(cause);
    }

    /** True when another process already listens on the address. */
    public boolean addressInUse() {
        return addressInUse;
    }

    private static boolean isAddressInUse(Throwable cause) {
        return cause instanceof BindException && cause.getMessage() != null
                && cause.getMessage().toLowerCase(Locale.ROOT).contains("in use");
    }

    private static String describe(Throwable cause) {
        if (isAddressInUse(cause)) {
            return "address already in use";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
