package io.tunnelmq.protocol;

import java.util.Locale;

/**
 * What a user may do with a destination, as a broker's permissions file grants it and as {@code CheckAccess} asks
 * about it. The numbers are part of the wire format: never renumber, only append.
 */
public enum Permission {
    /** Send (publish) messages to it. */
    SEND(1, "send to"),
    /** Consume messages from it (open a consumer or a subscription). */
    CONSUME(2, "consume from"),
    /** Look at its messages without taking them (a QueueBrowser). */
    BROWSE(3, "browse"),
    /**
     * Bring it into being: a destination that does not exist yet, a temporary destination, a durable or shared
     * subscription.
     */
    CREATE(4, "create"),
    /** Administer it (the admin channel); nothing on the tunnel asks for it yet. */
    ADMIN(5, "administer");

    private final int code;
    private final String verb;

    Permission(int code, String verb) {
        this.code = code;
        this.verb = verb;
    }

    /** The stable wire number. */
    public int code() {
        return code;
    }

    /** The word a permissions file uses for it: {@code send}, {@code consume}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The verb of a refusal: "may not <b>send to</b> queue 'x'". */
    public String verb() {
        return verb;
    }

    /**
     * @throws ProtocolException {@code MALFORMED_FRAME} for a number this build does not know
     */
    public static Permission of(int code) {
        for (Permission p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown permission " + code);
    }

    /** The permission a permissions file names by {@code word}, or null if there is none. */
    public static Permission ofWord(String word) {
        for (Permission p : values()) {
            if (p.word().equals(word)) {
                return p;
            }
        }
        return null;
    }
}
