package io.tunnelmq.jms.failover;

/**
 * Translates lock tokens between the facade and the inner connections. Broker tokens restart with every broker
 * process and every connection, so the facade must never see the same token twice for different locks: the outer
 * token is the link's number less one in the high bits and the broker's token in the low 40 bits. On the first link
 * the two are the same, so until a connection is lost the tokens the application and the broker's messages show agree.
 */
final class LockTokens {
    static final int INNER_BITS = 40;
    private static final long INNER_MASK = (1L << INNER_BITS) - 1;

    private LockTokens() {
    }

    /** The facade's token for a broker token of this link. */
    static long outer(Link link, long inner) {
        if (inner < 0 || inner > INNER_MASK) {
            // 2^40 locks on one connection: never in practice, but a silent clash would settle the wrong message
            throw new IllegalStateException("broker lock token " + inner + " of " + link
                    + " does not fit in 40 bits: the failover layer cannot number it");
        }
        return ((link.number - 1) << INNER_BITS) | inner;
    }

    /** The link number an outer token belongs to. */
    static long generation(long outer) {
        return (outer >>> INNER_BITS) + 1;
    }

    /** The broker token inside an outer token. */
    static long inner(long outer) {
        return outer & INNER_MASK;
    }

    /** Outer tokens of a link, for broker tokens. */
    static long[] outer(Link link, long[] inner) {
        long[] out = new long[inner.length];
        for (int i = 0; i < inner.length; i++) {
            out[i] = outer(link, inner[i]);
        }
        return out;
    }

    /** How many of these outer tokens belong to the link (null: none). */
    static int countOf(Link link, long[] outer) {
        if (link == null) {
            return 0;
        }
        int n = 0;
        for (long t : outer) {
            if (generation(t) == link.number) {
                n++;
            }
        }
        return n;
    }

    /** The broker tokens of those outer tokens that belong to the link ({@code count} of them). */
    static long[] innerOf(Link link, long[] outer, int count) {
        long[] in = new long[count];
        int n = 0;
        for (long t : outer) {
            if (generation(t) == link.number) {
                in[n++] = inner(t);
            }
        }
        return in;
    }

    /** The outer tokens that do not belong to the link. */
    static long[] othersOf(Link link, long[] outer, int count) {
        long[] old = new long[outer.length - count];
        int n = 0;
        for (long t : outer) {
            if (link == null || generation(t) != link.number) {
                old[n++] = t;
            }
        }
        return old;
    }

    /** Broker tokens of a link, for outer tokens the facade gave back (all of that link). */
    static long[] innerAll(long[] outer) {
        long[] in = new long[outer.length];
        for (int i = 0; i < outer.length; i++) {
            in[i] = inner(outer[i]);
        }
        return in;
    }
}
