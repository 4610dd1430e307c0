package io.tunnelmq.bench.load;

import jakarta.jms.Session;

import java.util.Locale;

/** How consumers acknowledge; {@link #TRANSACTED} also makes producers commit in batches. */
public enum AckMode {
    AUTO(Session.AUTO_ACKNOWLEDGE),
    DUPS_OK(Session.DUPS_OK_ACKNOWLEDGE),
    CLIENT(Session.CLIENT_ACKNOWLEDGE),
    TRANSACTED(Session.SESSION_TRANSACTED),
    /**
     * Peek-lock individual acknowledgement: session mode 101 ({@code TunnelSession.INDIVIDUAL_ACKNOWLEDGE}; Artemis
     * uses the same number for its individual mode) and {@code LockedMessage.complete()} per message where the
     * provider has it.
     */
    INDIVIDUAL(101);

    private final int sessionMode;

    AckMode(int sessionMode) {
        this.sessionMode = sessionMode;
    }

    /** The value for {@code Connection.createSession(int)}. */
    public int sessionMode() {
        return sessionMode;
    }

    public boolean transacted() {
        return this == TRANSACTED;
    }

    /** Parses {@code auto}, {@code dups-ok}, {@code client}, {@code transacted} or {@code individual}. */
    public static AckMode parse(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (t) {
            case "auto" -> AUTO;
            case "dups-ok", "dupsok" -> DUPS_OK;
            case "client" -> CLIENT;
            case "transacted", "tx" -> TRANSACTED;
            case "individual", "peek-lock" -> INDIVIDUAL;
            default -> throw new IllegalArgumentException("--ack must be auto, dups-ok, client, transacted or "
                    + "individual, not '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
