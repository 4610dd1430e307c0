package io.tunnelmq.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link EmbeddedBrokerMissingException} into Boot's "APPLICATION FAILED TO START" description and action. */
class EmbeddedBrokerMissingFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedBrokerMissingException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedBrokerMissingException cause) {
        return new FailureAnalysis("tunnelmq.embedded.enabled=true, but the embedded broker ("
                + EmbeddedBrokerConfiguration.BROKER_CLASS + ") is not on the class path.",
                "Add the dependency " + EmbeddedBrokerMissingException.ARTIFACT + " to the application, or set"
                        + " tunnelmq.embedded.enabled=false and point tunnelmq.url at a running broker.", cause);
    }
}
