package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the events the application's listeners get, and their order: {@code HttpSessionListener}
 * (two of them, declared first and second), {@code HttpSessionAttributeListener}, {@code
 * HttpSessionIdListener}, and attribute values that are {@code HttpSessionBindingListener}s. Events
 * are read from the application's log, filtered by session id; the ones of a request are all logged
 * before its response is sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface ListenerChecks extends ConformanceFixture {

  /** What the listeners log when a session is created. */
  List<String> CREATED = List.of("created@first", "created@second");

  /** The events of a session after its creation events. */
  private List<String> eventsAfterCreation(String id) {
    List<String> all = events(id);
    assertThat(all).startsWith(CREATED.toArray(String[]::new));
    return all.subList(CREATED.size(), all.size());
  }

  @Test
  default void sessionCreatedIsToldToEveryListenerInDeclarationOrder() {
    Browser b = browser();
    String id = b.probe("session").value("session");
    b.probe("session", "set:a:1");
    assertThat(events(id)).containsExactly("created@first", "created@second", "added:a=1");
  }

  @Test
  default void attributeListenerHearsAddReplaceAndRemove() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1").value("session");
    b.probe("existing", "set:a:2");
    b.probe("existing", "remove:a");
    // attributeReplaced reports the value that was replaced.
    assertThat(eventsAfterCreation(id)).containsExactly("added:a=1", "replaced:a=1", "removed:a=2");
  }

  @Test
  default void setAttributeToNullIsToldAsRemoval() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1", "setNull:a", "setNull:never").value("session");
    assertThat(eventsAfterCreation(id)).containsExactly("added:a=1", "removed:a=1");
  }

  @Test
  default void bindingListenerIsBoundBeforeAttributeListenersHear() {
    String id = browser().probe("session", "bind:p:x").value("session");
    assertThat(eventsAfterCreation(id)).containsExactly("bound:p=x", "added:p=probe(x)");
  }

  @Test
  default void replacingABindingListenerBindsTheNewBeforeUnbindingTheOld() {
    Browser b = browser();
    String id = b.probe("session", "bind:p:x").value("session");
    b.probe("existing", "bind:p:y");
    String replaced =
        switch (expected(Property.REPLACED_VALUE_WHEN_NEW_VALUE_IS_BINDING_LISTENER)) {
          case NEW_VALUE -> "replaced:p=probe(y)";
          case OLD_VALUE -> "replaced:p=probe(x)";
        };
    assertThat(eventsAfterCreation(id))
        .containsExactly("bound:p=x", "added:p=probe(x)", "bound:p=y", "unbound:p=x", replaced);
  }

  @Test
  default void replacingAPlainValueWithABindingListenerBindsIt() {
    Browser b = browser();
    String id = b.probe("session", "set:p:plain").value("session");
    b.probe("existing", "bind:p:x");
    b.probe("existing", "set:p:plain");
    String replaced =
        switch (expected(Property.REPLACED_VALUE_WHEN_NEW_VALUE_IS_BINDING_LISTENER)) {
          case NEW_VALUE -> "replaced:p=probe(x)";
          case OLD_VALUE -> "replaced:p=plain";
        };
    // Replacing the binding listener by a plain value reports the old value in either case.
    assertThat(eventsAfterCreation(id))
        .containsExactly(
            "added:p=plain", "bound:p=x", replaced, "unbound:p=x", "replaced:p=probe(x)");
  }

  @Test
  default void removingABindingListenerUnbindsItBeforeAttributeListenersHear() {
    Browser b = browser();
    String id = b.probe("session", "bind:p:x").value("session");
    b.probe("existing", "remove:p");
    assertThat(eventsAfterCreation(id))
        .containsExactly("bound:p=x", "added:p=probe(x)", "unbound:p=x", "removed:p=probe(x)");
  }

  @Test
  default void settingTheSameBindingListenerAgainDoesNotRebindIt() {
    Browser b = browser();
    String id = b.probe("session", "bind:p:x", "rebind:p").value("session");
    b.probe("existing", "rebind:p");
    // The attribute listeners still hear a replacement (by the same value).
    assertThat(eventsAfterCreation(id))
        .containsExactly(
            "bound:p=x", "added:p=probe(x)", "replaced:p=probe(x)", "replaced:p=probe(x)");
  }

  @Test
  default void sessionDestroyedOnInvalidateIsToldInReverseOrderWithAttributesReadable() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1", "bind:p:x").value("session");
    b.probe("existing", "invalidate");
    List<String> after = eventsAfterCreation(id);
    assertThat(after.subList(0, 4))
        .containsExactly(
            "added:a=1", "bound:p=x", "added:p=probe(x)", "destroyed@second{a=1, p=probe(x)}");
    assertThat(after.get(4)).isEqualTo("destroyed@first{a=1, p=probe(x)}");
  }

  @Test
  default void invalidateUnbindsAndRemovesAttributesAfterSessionDestroyed() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1", "bind:p:x").value("session");
    b.probe("existing", "invalidate");
    List<String> after = eventsAfterCreation(id);
    int destroyed = after.indexOf("destroyed@first{a=1, p=probe(x)}");
    assertThat(destroyed).isNotNegative();
    List<String> unbinding = after.subList(destroyed + 1, after.size());
    assertThat(unbinding)
        .containsExactlyInAnyOrder("unbound:p=x", "removed:p=probe(x)", "removed:a=1");
    assertThat(unbinding.indexOf("unbound:p=x"))
        .isLessThan(unbinding.indexOf("removed:p=probe(x)"));
  }

  @Test
  default void changeSessionIdIsToldToIdListenersOnly() {
    Browser b = browser();
    String old = b.probe("session", "set:a:1").value("session");
    String changed = b.probe("existing", "changeId").value("changeId");
    assertThat(events(old, changed))
        .containsExactly("created@first", "created@second", "added:a=1", "idChanged:from=" + old);
    assertThat(events(changed)).containsExactly("idChanged:from=" + old);
  }
}
