package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;

/** How the client attaches what went wrong underneath to a {@link JMSException}: one way, for every package. */
public final class ExceptionLinks {
    private ExceptionLinks() {
    }

    /**
     * Sets {@code cause} as the linked exception (the JMS 1.1 way many tools still read) and, unless one is set, as
     * the cause.
     *
     * @return {@code j}, to throw
     */
    public static <T extends JMSException> T link(T j, Throwable cause) {
        if (cause instanceof Exception e) {
            j.setLinkedException(e);
        }
        if (j.getCause() == null && cause != null) {
            j.initCause(cause);
        }
        return j;
    }
}
