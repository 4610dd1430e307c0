package io.tunnelmq.protocol;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class PeerTextTest {

    @Test
    void plainTextIsShownAsItIs() {
        String name = "alice@example.com DOMAIN\\bob Zoë 山田";
        assertThat(PeerText.of(name)).isSameAs(name);
        assertThat(PeerText.of(null)).isEqualTo("null");
    }

    @Test
    void lineBreaksAndControlCharactersCannotForgeALogLine() {
        String forged = PeerText.of("x\n2026-12-07 12:00:00 [main] INFO Broker - admin logged in\r\t\u0000\u001b[31m");
        assertThat(forged).doesNotContain("\n", "\r", "\t", "\u0000", "\u001b")
                .isEqualTo("x\\n2026-12-07 12:00:00 [main] INFO Broker - admin logged in\\r\\t\\u0000\\u001b[31m");
    }

    @Test
    void unicodeLineSeparatorsAndBidirectionalOverridesAreEscaped() {
        assertThat(PeerText.of("a\u2028b\u2029c\u202ed\u2066e\u0085f"))
                .isEqualTo("a\\u2028b\\u2029c\\u202ed\\u2066e\\u0085f");
    }

    @Test
    void longTextIsCutSayingItsLengthAndNeverInTheMiddleOfACharacter() {
        String huge = "u".repeat(8_000);
        assertThat(PeerText.of(huge)).isEqualTo("u".repeat(PeerText.MAX_CHARS) + "… (8000 chars)");
        String emoji = "u".repeat(PeerText.MAX_CHARS - 1) + "😀" + "tail";
        assertThat(PeerText.of(emoji)).isEqualTo("u".repeat(PeerText.MAX_CHARS - 1) + "… (" + emoji.length()
                + " chars)");
        String exact = "v".repeat(PeerText.MAX_CHARS);
        assertThat(PeerText.of(exact)).isSameAs(exact);
    }

    @Test
    void escapedKeepsLongTextWhole() {
        String selector = "color = 'red' AND ".repeat(20) + "size > 1";
        assertThat(PeerText.escaped(selector + "\n")).isEqualTo(selector + "\\n");
        assertThat(PeerText.escaped(selector)).isSameAs(selector);
    }

    @Test
    void destinationsAndMessagesAClientNamedShowEscaped() {
        WireDestination queue = WireDestination.queue("orders\nINFO forged");
        assertThat(queue.toString()).isEqualTo("queue://orders\\nINFO forged");
        WireMessage message = new WireMessage(queue, "ID:1\r\nforged", 0, null, null, null, true, 4, 0, 0, Map.of(),
                BodyType.TEXT, new byte[0]);
        assertThat(message.toString()).doesNotContain("\n", "\r").contains("ID:1\\r\\nforged");
    }
}
