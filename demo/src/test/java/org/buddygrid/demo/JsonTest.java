package org.buddygrid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesNestedValuesAndEscapes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\n</script>");
    m.put("n", 3);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("b", true);
    m.put("null", null);
    m.put("list", Arrays.asList(1, "x", null));
    m.put("raw", new Json.Raw("[1,2]"));
    assertThat(Json.write(m))
        .isEqualTo(
            "{\"s\":\"a\\\"b\\\\c\\n\\u003c/script>\",\"n\":3,\"d\":1.50,\"nan\":0,\"b\":true,"
                + "\"null\":null,\"list\":[1,\"x\",null],\"raw\":[1,2]}");
    assertThat(Json.write(List.of())).isEqualTo("[]");
    assertThat(Json.write("\u0001")).isEqualTo("\"\\u0001\"");
  }

  @Test
  void escapesHtml() {
    assertThat(Http.escape("<a href='x'>&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    assertThat(Http.escape(null)).isEmpty();
    assertThat(Http.isLoopback("127.0.0.1")).isTrue();
    assertThat(Http.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(Http.isLoopback("10.0.0.5")).isFalse();
    assertThat(Http.isLoopback("localhost")).as("names are not resolved").isFalse();
  }
}
