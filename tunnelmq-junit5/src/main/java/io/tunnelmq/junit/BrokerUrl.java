package io.tunnelmq.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} parameter of a test in an {@link EmbeddedTunnelMQ} class that receives the embedded broker's
 * connection URL, {@code tmq://127.0.0.1:<port>} — for code under test that takes a URL rather than a factory.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BrokerUrl {
}
