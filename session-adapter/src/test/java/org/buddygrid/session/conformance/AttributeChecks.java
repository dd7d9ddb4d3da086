package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards session attributes across requests: set, get, replace, remove, null values, the names
 * enumeration, values of other types than String, and values changed in place.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface AttributeChecks extends ConformanceFixture {

  @Test
  default void setAttributeIsReadBackInLaterRequests() {
    Browser b = browser();
    b.probe("session", "set:greeting:hello");
    assertThat(b.probe("existing", "get:greeting").value("get:greeting")).isEqualTo("hello");
    assertThat(b.probe("existing", "get:greeting").value("get:greeting")).isEqualTo("hello");
  }

  @Test
  default void setAttributeReplacesTheValue() {
    Browser b = browser();
    b.probe("session", "set:a:1");
    Reply same = b.probe("existing", "set:a:2", "get:a");
    assertThat(same.value("get:a")).isEqualTo("2");
    Reply later = b.probe("existing", "get:a", "names");
    assertThat(later.value("get:a")).isEqualTo("2");
    assertThat(later.value("names")).isEqualTo("a");
  }

  @Test
  default void removeAttributeRemovesIt() {
    Browser b = browser();
    b.probe("session", "set:a:1", "set:b:2");
    Reply same = b.probe("existing", "remove:a", "get:a");
    assertThat(same.value("get:a")).isEqualTo("null");
    Reply later = b.probe("existing", "get:a", "get:b", "names");
    assertThat(later.value("get:a")).isEqualTo("null");
    assertThat(later.value("get:b")).isEqualTo("2");
    assertThat(later.value("names")).isEqualTo("b");
  }

  @Test
  default void setAttributeToNullRemovesIt() {
    Browser b = browser();
    b.probe("session", "set:a:1", "set:b:2");
    b.probe("existing", "setNull:a");
    Reply r = b.probe("existing", "get:a", "names");
    assertThat(r.value("get:a")).isEqualTo("null");
    assertThat(r.value("names")).isEqualTo("b");
  }

  @Test
  default void attributeNamesListsExactlyTheAttributes() {
    Browser b = browser();
    assertThat(b.probe("session", "names").value("names")).isEmpty();
    b.probe("existing", "set:c:3", "set:a:1", "set:b:2");
    assertThat(b.probe("existing", "names").value("names")).isEqualTo("a,b,c");
    b.probe("existing", "remove:b");
    assertThat(b.probe("existing", "names").value("names")).isEqualTo("a,c");
  }

  @Test
  default void unknownAttributeIsNull() {
    Reply r = browser().probe("session", "get:nothing", "type:nothing");
    assertThat(r.value("get:nothing")).isEqualTo("null");
    assertThat(r.value("type:nothing")).isEqualTo("null");
  }

  @Test
  default void removingAnAbsentAttributeIsHarmless() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1").value("session");
    assertThat(b.probe("existing", "remove:absent").value("remove:absent")).isEqualTo("ok");
    assertThat(b.probe("existing", "names").value("names")).isEqualTo("a");
    assertThat(events(id)).noneMatch(e -> e.contains("absent"));
  }

  @Test
  default void nonStringValuesKeepTheirTypeAndValue() {
    Browser b = browser();
    b.probe("session", "setInt:count:42", "setList:items:x,y,z");
    Reply r = b.probe("existing", "type:count", "get:count", "type:items", "get:items");
    assertThat(r.value("type:count")).isEqualTo("java.lang.Integer");
    assertThat(r.value("get:count")).isEqualTo("42");
    assertThat(r.value("type:items")).isEqualTo("java.util.ArrayList");
    assertThat(r.value("get:items")).isEqualTo("[x, y, z]");
  }

  @Test
  default void valueChangedInPlaceAndSetAgainIsSeenLater() {
    Browser b = browser();
    b.probe("session", "setList:items:x");
    b.probe("existing", "appendAndSet:items:y");
    assertThat(b.probe("existing", "get:items").value("get:items")).isEqualTo("[x, y]");
  }

  @Test
  default void valueChangedInPlaceWithoutSetIsSeenOnTheSameNode() {
    // On one node the session holds the object itself: a change without setAttribute is seen.
    Browser b = browser();
    b.probe("session", "setList:items:x");
    b.probe("existing", "append:items:y");
    assertThat(b.probe("existing", "get:items").value("get:items")).isEqualTo("[x, y]");
  }
}
