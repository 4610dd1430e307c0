package io.tunnelmq.samples.boot4;

import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Sends greetings with JmsTemplate and receives them with a {@code @JmsListener}; keeps what it received. */
@Component
public class Greetings {
    private final JmsTemplate jms;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    Greetings(JmsTemplate jms) {
        this.jms = jms;
    }

    public void send(String greeting) {
        jms.convertAndSend(Boot4Application.GREETINGS, greeting);
    }

    @JmsListener(destination = Boot4Application.GREETINGS)
    void onGreeting(String greeting) {
        received.add(greeting);
    }

    /** The next greeting received, or null if none came within {@code timeout}. */
    public String nextReceived(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
