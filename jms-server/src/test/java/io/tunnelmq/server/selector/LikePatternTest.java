package io.tunnelmq.server.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The LIKE matcher decides every short pattern and value as a regular expression built from the pattern does. */
@Timeout(30)
class LikePatternTest {

    @Test
    void agreesWithARegularExpressionOnRandomPatternsAndValues() {
        Random random = new Random(20261206);
        for (int i = 0; i < 50_000; i++) {
            String pattern = random(random, "ab_%", 9);
            String value = random(random, "ab", 12);
            boolean expected = Pattern.compile(regex(pattern), Pattern.DOTALL).matcher(value).matches();

            assertThat(LikePattern.compile(pattern, null).matches(value)).as("'%s' LIKE '%s'", value, pattern)
                    .isEqualTo(expected);
        }
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String regex(String pattern) {
        return pattern.replace("%", ".*").replace("_", ".");
    }
}
