package io.tunnelmq.server.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class JsonTest {
    @Test
    void namesAndBodiesCannotBreakOutOfTheirStrings() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("k\"", 1);
        properties.put("none", null);
        String json = new Json().beginObject()
                .field("body", "</script><img src=x onerror=alert(1)>\"\\\n\u0001\u2028")
                .field("n", -3).field("ok", true).field("props", properties)
                .name("list").beginArray().value("a").value(2).beginObject().endObject().endArray()
                .endObject().toString();
        assertThat(json).isEqualTo("{\"body\":\"\\u003c/script>\\u003cimg src=x onerror=alert(1)>\\\"\\\\\\n"
                + "\\u0001\\u2028\",\"n\":-3,\"ok\":true,\"props\":{\"k\\\"\":\"1\",\"none\":null},"
                + "\"list\":[\"a\",2,{}]}");
    }
}
