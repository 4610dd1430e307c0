package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(5)
class SendWindowTest {
    private static final boolean ANSWERED = true;
    private static final boolean UNANSWERED = false;

    @Test
    void startsWithTheBrokersReceiveBuffer() {
        SendWindow w = new SendWindow(1000);
        assertThat(w.lastFree()).isEqualTo(1000);
        assertThat(w.inFlight()).isZero();
        assertThat(w.available()).isEqualTo(1000);
        assertThat(w.hasRoomFor(1000)).isTrue();
    }

    @Test
    void sentBytesUseUpTheWindowUntilTheBrokerReportsPastThem() {
        SendWindow w = new SendWindow(1000);
        long first = w.sent(400, ANSWERED);
        w.sent(400, ANSWERED);
        assertThat(w.available()).isEqualTo(200);
        assertThat(w.hasRoomFor(200)).isTrue();
        assertThat(w.hasRoomFor(201)).isFalse();

        w.answered(first, 1000); // counted from the end of the first send: room up to 1400
        assertThat(w.inFlight()).isEqualTo(400);
        assertThat(w.available()).isEqualTo(600);
        assertThat(w.hasRoomFor(600)).isTrue();
        assertThat(w.hasRoomFor(601)).isFalse();
    }

    @Test
    void theLatestReportSaysHowFarTheClientMaySendEvenWhenItShrinks() {
        SendWindow w = new SendWindow(1000);
        long end = w.sent(100, ANSWERED);
        w.answered(end, 300);
        assertThat(w.available()).isEqualTo(300);
        w.reported(100, 50); // a later WindowUpdate: the broker's memory filled up meanwhile
        assertThat(w.available()).isEqualTo(50);
        w.reported(100, 5000);
        assertThat(w.hasRoomFor(5000)).isTrue();
    }

    @Test
    void anOkOfAnEarlierSendReachesNoFurtherBackThanWhatIsAcknowledged() {
        SendWindow w = new SendWindow(1000);
        long persistent = w.sent(100, ANSWERED);
        w.sent(100, UNANSWERED);
        w.reported(200, 800); // the WindowUpdate overtook the persistent send's Ok (stored later)
        assertThat(w.inFlight()).isZero();
        w.answered(persistent, 850); // measured later: room up to 950
        assertThat(w.inFlight()).as("still nothing in flight").isZero();
        assertThat(w.available()).isEqualTo(750);
    }

    @Test
    void unansweredSendsStayInFlightUntilAWindowUpdateNamesThem() {
        SendWindow w = new SendWindow(1000);
        w.sent(300, UNANSWERED);
        w.sent(300, UNANSWERED);
        assertThat(w.inFlight()).isEqualTo(600);
        w.reported(300, 1000);
        assertThat(w.inFlight()).isEqualTo(300);
        assertThat(w.available()).isEqualTo(700);
    }

    @Test
    void aMessageLargerThanTheWindowMayGoOnlyWhenNoReportIsComing() {
        SendWindow w = new SendWindow(1000);
        assertThat(w.hasRoomFor(50_000)).as("nothing in flight, window open").isTrue();
        long end = w.sent(10, ANSWERED);
        assertThat(w.hasRoomFor(50_000)).as("its Ok is coming").isFalse();
        w.answered(end, 990);
        assertThat(w.hasRoomFor(50_000)).isTrue();
    }

    @Test
    void unansweredSendsInFlightStrandNoLargeMessage() {
        // the broker reports unanswered sends only once the window it granted is half spent: a large message
        // waiting for that report with more than half the window left would wait forever
        SendWindow w = new SendWindow(1000);
        w.sent(400, UNANSWERED);
        assertThat(w.hasRoomFor(5_000)).as("no report is coming while half the window is left").isTrue();
        w.sent(200, UNANSWERED);
        assertThat(w.hasRoomFor(5_000)).as("below half: the broker reports").isFalse();
        w.reported(600, 1000);
        assertThat(w.hasRoomFor(5_000)).isTrue();
    }

    @Test
    void withNothingInFlightAWindowAboveLowWaterNeverStrandsAMessage() {
        // the broker sends no WindowUpdate while its last report was above its low-water mark, so waiting
        // for more room here would wait forever
        SendWindow w = new SendWindow(1000);
        w.reported(0, 250); // exactly a quarter of the initial window
        assertThat(w.hasRoomFor(600)).isTrue();
    }

    @Test
    void aSpentWindowWaitsForTheBrokerEvenWithNothingInFlight() {
        SendWindow w = new SendWindow(1000);
        w.reported(0, 0);
        assertThat(w.hasRoomFor(1)).isFalse();
        w.reported(0, 249); // below a quarter: the broker owes a WindowUpdate
        assertThat(w.hasRoomFor(249)).as("fits").isTrue();
        assertThat(w.hasRoomFor(250)).as("does not fit and the window is spent").isFalse();
        w.reported(0, 1000);
        assertThat(w.hasRoomFor(250)).isTrue();
    }

    @Test
    void anErrorAcknowledgesTheSendWithoutGrantingMore() {
        SendWindow w = new SendWindow(1000);
        long end = w.sent(600, ANSWERED);
        w.answered(end, -1);
        assertThat(w.inFlight()).isZero();
        assertThat(w.available()).as("the grant of the Welcome, less what was sent").isEqualTo(400);
    }

    @Test
    void aSendThatNeverLeftGivesItsBytesBack() {
        SendWindow w = new SendWindow(1000);
        w.sent(600, ANSWERED);
        w.unsent(600, ANSWERED);
        assertThat(w.inFlight()).isZero();
        assertThat(w.available()).isEqualTo(1000);
        assertThat(w.hasRoomFor(50_000)).as("no answer is coming for it").isTrue();
    }

    @Test
    void anOlderBrokersWindowUpdateCountsFromWhatIsAcknowledged() {
        SendWindow w = new SendWindow(1000);
        w.sent(600, ANSWERED);
        w.reportedFree(300); // an older broker does not say how far its figure reaches
        assertThat(w.available()).as("counted from 0: the broker may have read less").isZero();
    }

    @Test
    void anEmptyInitialWindowWaitsForTheBroker() {
        SendWindow w = new SendWindow(0);
        assertThat(w.hasRoomFor(1)).isFalse();
        assertThat(w.hasRoomFor(0)).isTrue();
        w.reported(0, 10);
        assertThat(w.hasRoomFor(10)).isTrue();
    }

    @Test
    void rejectsANegativeInitialWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SendWindow(-1)).withMessageContaining("-1");
    }
}
