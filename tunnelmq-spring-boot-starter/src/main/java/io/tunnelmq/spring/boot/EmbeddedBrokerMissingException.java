package io.tunnelmq.spring.boot;

/** {@code tunnelmq.embedded.enabled=true}, but io.tunnelmq:jms-server (the embedded broker) is not on the class path. */
class EmbeddedBrokerMissingException extends IllegalStateException {
    static final String ARTIFACT = "io.tunnelmq:jms-server";

    EmbeddedBrokerMissingException() {
        super("tunnelmq.embedded.enabled=true, but the embedded broker (class " + EmbeddedBrokerConfiguration.BROKER_CLASS
                + ") is not on the class path: add the dependency " + ARTIFACT
                + " (same version as tunnelmq-spring-boot-starter), or set tunnelmq.embedded.enabled=false and"
                + " point tunnelmq.url at a running broker");
    }
}
