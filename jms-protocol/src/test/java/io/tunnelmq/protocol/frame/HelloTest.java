package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hello is traced and logged: its secrets must not be. */
@Timeout(10)
class HelloTest {

    @Test
    void toStringHidesThePasswordAndTheResumeKey() {
        Hello hello = new Hello(Protocol.VERSION, "app", "alice", "s3cret", 0,
                Map.of(Hello.OPTION_RESUME, "lx1-7", Hello.OPTION_RESUME_KEY, "the-resume-secret"));

        assertThat(hello.toString()).doesNotContain("s3cret").doesNotContain("the-resume-secret")
                .contains("resume=lx1-7").contains("resumeKey=***");
        assertThat(hello.options()).as("only the text is masked").containsEntry(Hello.OPTION_RESUME_KEY,
                "the-resume-secret");
    }

    /** Found by FrameBodyFuzzTest: a null option value used to end in a NullPointerException from Map.copyOf. */
    @Test
    void anOptionWithoutAValueIsAMalformedHello() {
        Map<String, Object> options = new HashMap<>();
        options.put("lockDuration", null);
        ByteBuf body = Unpooled.buffer().writeInt(Protocol.MAGIC).writeInt(Protocol.VERSION);
        Wire.writeString(body, null);
        Wire.writeString(body, "alice");
        Wire.writeString(body, "s3cret");
        body.writeInt(0);
        Wire.writeMap(body, options);

        assertThatThrownBy(() -> FrameType.HELLO.read(0, body)).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME))
                .hasMessage("Hello option 'lockDuration' has no value: send an option with a value or leave it out");
    }
}
