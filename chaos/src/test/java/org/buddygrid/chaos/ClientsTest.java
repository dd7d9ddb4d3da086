package org.buddygrid.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clients against a stand-in node whose counters can be rolled back or forgotten: the harness
 * must see every acknowledged write such a node loses, and nothing when it loses none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientsTest {
  /** A node serving {@code /api/counter} like the demo, from a map it can be made to lose. */
  static final class FakeNode implements Endpoint {
    final Map<String, Integer> counters = new ConcurrentHashMap<>();
    final HttpServer server;

    FakeNode() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/api/counter", this::handle);
      server.start();
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
      String cookie = ex.getRequestHeaders().getFirst("Cookie");
      String id = cookie == null ? null : cookie.replaceFirst("^JSESSIONID=", "");
      String body;
      if (ex.getRequestMethod().equals("POST")) {
        if (id == null || !counters.containsKey(id)) {
          id = UUID.randomUUID() + ".fake";
        }
        int v = counters.merge(id, 1, Integer::sum);
        body = "{\"value\":" + v + ",\"servedBy\":\"fake\",\"sessionId\":\"" + id + "\"}";
      } else if (id != null && counters.containsKey(id)) {
        body = "{\"value\":" + counters.get(id) + ",\"sessionId\":\"" + id + "\"}";
      } else {
        body = "{\"value\":0,\"servedBy\":\"fake\",\"sessionId\":null}";
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }

    synchronized void rollBack(int by) {
      counters.replaceAll((id, v) -> Math.max(1, v - by));
    }

    synchronized void forget(String id) {
      counters.remove(id);
    }

    @Override
    public String route() {
      return "fake";
    }

    @Override
    public String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public boolean isAlive() {
      return true;
    }
  }

  private FakeNode node;
  private Clients clients;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    node = new FakeNode();
    clients =
        new Clients(
            List.of(node),
            HttpClient.newHttpClient(),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            2,
            4,
            20,
            1);
    clients.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> clients.sessions().stream().allMatch(s -> s.lastAck >= 20));
  }

  @AfterEach
  void stop() {
    clients.close();
    node.server.stop(0);
  }

  @Test
  void aNodeThatLosesNothingShowsNoLoss() throws Exception {
    clients.close();
    Clients.CheckResult check = clients.check(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    assertThat(check.losses()).isEmpty();
    assertThat(check.unreadable()).isEmpty();
    assertThat(clients.losses()).isEmpty();
    assertThat(clients.acknowledged.get()).isGreaterThanOrEqualTo(80);
  }

  @Test
  void aRollbackWhileClientsWriteIsCountedWriteByWrite() {
    long before = clients.acknowledged.get();
    node.rollBack(3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> clients.acknowledged.get() > before + 20 && clients.losses().size() >= 12);
    // Every session lost exactly its 3 newest acknowledged writes, once.
    assertThat(clients.losses()).hasSize(12);
    assertThat(clients.losses().stream().map(Clients.Loss::sessionId).distinct()).hasSize(4);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("LOST 3 acknowledged write(s)");
  }

  @Test
  void theCheckFindsARollbackAndAForgottenSession() throws Exception {
    clients.close();
    List<Clients.Session> sessions = clients.sessions();
    long acked1 = sessions.get(1).lastAck;
    node.rollBack(5);
    node.forget(sessions.get(0).id);
    Clients.CheckResult check = clients.check(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    assertThat(check.unreadable()).isEmpty();
    // Session 0 is gone (every write lost); the others hold 5 fewer than acknowledged.
    assertThat(check.losses())
        .filteredOn(l -> l.sessionId().equals(sessions.get(1).id))
        .extracting(Clients.Loss::acknowledged)
        .containsExactly(acked1 - 4, acked1 - 3, acked1 - 2, acked1 - 1, acked1);
    assertThat(check.losses())
        .filteredOn(l -> l.sessionId().equals(sessions.get(0).id))
        .allMatch(l -> l.found() == 0)
        .isNotEmpty();
  }
}
