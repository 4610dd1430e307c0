package io.tunnelmq.jms.failover;

/**
 * A session or consumer of the facade as it exists on one link: the inner engine object that serves it there.
 *
 * @param link  the link
 * @param inner the engine session or consumer on that link
 */
record Bound<T>(Link link, T inner) {

    /** True while work may still be issued to it. */
    boolean live() {
        return link.usable();
    }
}
