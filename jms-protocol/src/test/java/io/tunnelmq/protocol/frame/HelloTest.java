package io.tunnelmq.protocol.frame;

import io.tunnelmq.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
