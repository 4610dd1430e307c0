package io.tunnelmq.bench.hostile;

/** What a hostile peer does from the moment it connects (issue 14's three attacks). */
public enum PeerKind {
    /** Announces a frame of almost 16 MiB (the largest the broker accepts) and trickles its bytes, one per tick. */
    BIG_FRAME,
    /** Announces a 4,000-byte frame and sends one byte every few seconds: slowloris. */
    SLOWLORIS,
    /** Sends nothing and closes the connection itself after a while. */
    IDLE
}
