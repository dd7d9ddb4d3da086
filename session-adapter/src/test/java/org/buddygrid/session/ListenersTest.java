package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session, attribute, id and binding listeners hear BuddyGrid sessions in the order the Servlet
 * specification gives: one declared in {@code buddygrid.listeners}, one registered by API.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenersTest {
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

  /** Records every event it hears under a name. */
  abstract static class Recorder
      implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
    private final String name;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public void sessionCreated(HttpSessionEvent se) {
      EVENTS.add(name + ":created");
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      // Called before the attributes are unbound: they can still be read.
      EVENTS.add(name + ":destroyed:" + se.getSession().getAttribute("w"));
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent e) {
      EVENTS.add(name + ":added:" + e.getName() + "=" + e.getValue());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent e) {
      EVENTS.add(name + ":replaced:" + e.getName() + "=" + e.getValue());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent e) {
      EVENTS.add(name + ":removed:" + e.getName() + "=" + e.getValue());
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
      boolean changed = !event.getSession().getId().equals(oldSessionId);
      EVENTS.add(name + ":id-changed:" + changed);
    }
  }

  /** Named in {@code buddygrid.listeners}. */
  public static final class Declared extends Recorder {
    public Declared() {
      super("declared");
    }
  }

  /** A value that wants to know when it is bound and unbound. */
  public static final class Bound implements HttpSessionBindingListener {
    String label;

    public Bound() {}

    Bound(String label) {
      this.label = label;
    }

    @Override
    public void valueBound(HttpSessionBindingEvent event) {
      EVENTS.add("value:bound:" + label + ":readable=" + (event.getSession() != null));
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
      EVENTS.add("value:unbound:" + label);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("listeners"));
    params.put("buddygrid.listeners", Declared.class.getName());
    node = TestNode.start(params);
    BuddyGridSessions.addListener(node.servletContext(), new Recorder("registered") {});
    node.handle(
        "flow",
        (req, resp) -> {
          HttpSession s = req.getSession();
          s.setAttribute("v", new Bound("one"));
          s.setAttribute("v", new Bound("two"));
          s.removeAttribute("v");
          s.setAttribute("w", new Bound("three"));
        });
    node.handle("change", (req, resp) -> req.changeSessionId());
    node.handle("invalidate", (req, resp) -> req.getSession().invalidate());
    node.handle("expire-soon", (req, resp) -> req.getSession().setMaxInactiveInterval(1));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @BeforeEach
  void clear() {
    EVENTS.clear();
  }

  @Test
  void listenersAndValuesHearEveryChangeInSpecificationOrder() throws Exception {
    Browser browser = new Browser();
    browser.get(node.uri("flow"));
    assertThat(EVENTS)
        .containsExactly(
            "declared:created",
            "registered:created",
            "value:bound:one:readable=true",
            "declared:added:v=one",
            "registered:added:v=one",
            "value:bound:two:readable=true",
            "value:unbound:one",
            "declared:replaced:v=one",
            "registered:replaced:v=one",
            "value:unbound:two",
            "declared:removed:v=two",
            "registered:removed:v=two",
            "value:bound:three:readable=true",
            "declared:added:w=three",
            "registered:added:w=three");

    EVENTS.clear();
    browser.get(node.uri("change"));
    assertThat(EVENTS).containsExactly("declared:id-changed:true", "registered:id-changed:true");

    EVENTS.clear();
    browser.get(node.uri("invalidate"));
    assertThat(EVENTS)
        .containsExactly(
            "registered:destroyed:three",
            "declared:destroyed:three",
            "value:unbound:three",
            "declared:removed:w=three",
            "registered:removed:w=three");
  }

  @Test
  void expiryTellsTheListenersToo() throws Exception {
    new Browser().get(node.uri("expire-soon"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(EVENTS)
                    .contains("registered:destroyed:null", "declared:destroyed:null"));
  }
}
