package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(5)
class SendWindowTest {

    @Test
    void startsWithTheBrokersReceiveBuffer() {
        SendWindow w = new SendWindow(1000);
        assertThat(w.lastFree()).isEqualTo(1000);
        assertThat(w.inFlight()).isZero();
        assertThat(w.available()).isEqualTo(1000);
        assertThat(w.hasRoomFor(1000)).isTrue();
    }

    @Test
    void inFlightBytesUseUpTheWindowUntilReleased() {
        SendWindow w = new SendWindow(1000);
        w.sent(400);
        w.sent(400);
        assertThat(w.available()).isEqualTo(200);
        assertThat(w.hasRoomFor(200)).isTrue();
        assertThat(w.hasRoomFor(201)).isFalse();

        w.released(400);
        assertThat(w.inFlight()).isEqualTo(400);
        assertThat(w.hasRoomFor(600)).isTrue();
    }

    @Test
    void everyBrokerFigureReplacesTheLastOne() {
        SendWindow w = new SendWindow(1000);
        w.sent(100);
        w.update(300);
        assertThat(w.available()).isEqualTo(200);
        assertThat(w.hasRoomFor(201)).isFalse();
        w.update(5000);
        assertThat(w.hasRoomFor(4900)).isTrue();
    }

    @Test
    void aMessageLargerThanTheWindowMayGoOnlyWhenNothingIsInFlight() {
        SendWindow w = new SendWindow(1000);
        assertThat(w.hasRoomFor(50_000)).as("nothing in flight, window open").isTrue();
        w.sent(10);
        assertThat(w.hasRoomFor(50_000)).as("something in flight").isFalse();
        w.released(10);
        assertThat(w.hasRoomFor(50_000)).isTrue();
    }

    @Test
    void withNothingInFlightAWindowAboveLowWaterNeverStrandsAMessage() {
        // the broker sends no WindowUpdate while its last report was above its low-water mark, so waiting
        // for more room here would wait forever
        SendWindow w = new SendWindow(1000);
        w.update(250); // exactly a quarter of the initial window
        assertThat(w.hasRoomFor(600)).isTrue();
    }

    @Test
    void aSpentWindowWaitsForTheBrokerEvenWithNothingInFlight() {
        SendWindow w = new SendWindow(1000);
        w.update(0);
        assertThat(w.hasRoomFor(1)).isFalse();
        w.update(249); // below a quarter: the broker owes a WindowUpdate
        assertThat(w.hasRoomFor(249)).as("fits").isTrue();
        assertThat(w.hasRoomFor(250)).as("does not fit and the window is spent").isFalse();
        w.update(1000);
        assertThat(w.hasRoomFor(250)).isTrue();
    }

    @Test
    void releasingMoreThanIsInFlightNeverGoesNegative() {
        SendWindow w = new SendWindow(1000);
        w.sent(10);
        w.released(50);
        assertThat(w.inFlight()).isZero();
        w.update(-5);
        assertThat(w.lastFree()).isZero();
        assertThat(w.available()).isZero();
    }

    @Test
    void anEmptyInitialWindowWaitsForTheBroker() {
        SendWindow w = new SendWindow(0);
        assertThat(w.hasRoomFor(1)).isFalse();
        assertThat(w.hasRoomFor(0)).isTrue();
        w.update(10);
        assertThat(w.hasRoomFor(10)).isTrue();
    }

    @Test
    void rejectsANegativeInitialWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SendWindow(-1)).withMessageContaining("-1");
    }
}
