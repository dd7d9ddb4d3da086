package org.buddygrid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.buddygrid.demo.fault.FaultControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault-control endpoint on two in-JVM demo nodes: status, a partition made by isolating each
 * node from the other's JGroups port, the heal and the merge, and the answer to bad input.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultControlTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void isolatesBothWaysThenHealsAndTheGridMerges() throws Exception {
    int jgroups = Ports.consecutive(2, true);
    int httpPort = Ports.consecutive(2, false);
    String hosts = "127.0.0.1[" + jgroups + "],127.0.0.1[" + (jgroups + 1) + "]";
    String cluster = "fault-control-test-" + UUID.randomUUID();
    DemoNode node1 = start("node1", httpPort, jgroups, hosts, cluster);
    DemoNode node2 = start("node2", httpPort + 1, jgroups + 1, hosts, cluster);
    FaultControl c1 = control(node1);
    FaultControl c2 = control(node2);
    await().atMost(Duration.ofSeconds(30)).until(() -> view(c1).contains("node2"));
    assertThat(call(c1, "GET", "").body())
        .contains("\"route\":\"node1\"", "\"atRisk\":0", "\"isolatedFrom\":[]");

    assertThat(call(c1, "POST", "isolate?from=" + (jgroups + 1)).body())
        .contains("\"isolatedFrom\":[" + (jgroups + 1) + "]");
    call(c2, "POST", "isolate?from=all");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !view(c1).contains("node2") && !view(c2).contains("node1"));

    call(c1, "POST", "heal");
    call(c2, "POST", "heal");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> view(c1).contains("node2") && view(c2).contains("node1"));
    assertThat(call(c2, "GET", "").body()).contains("\"isolatedFrom\":[]");
  }

  @Test
  void badRequestsSayWhatToSend() throws Exception {
    int jgroups = Ports.consecutive(1, true);
    String cluster = "fault-control-test-" + UUID.randomUUID();
    DemoNode node = start("node1", Ports.one(), jgroups, "127.0.0.1[" + jgroups + "]", cluster);
    FaultControl c = control(node);
    HttpResponse<String> bad = call(c, "POST", "isolate?from=node2");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("from must be all or the JGroups ports");
    HttpResponse<String> unknown = call(c, "POST", "crash");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("POST /heal");
  }

  private DemoNode start(String route, int httpPort, int jgroups, String hosts, String cluster)
      throws Exception {
    DemoNode node = new DemoNode(DemoNodeTest.options(route, httpPort, jgroups, hosts, cluster));
    open.add(node);
    return node.start();
  }

  private FaultControl control(DemoNode node) throws Exception {
    FaultControl c = FaultControl.start(0, () -> node.grid().orElse(null));
    open.add(c);
    return c;
  }

  private String view(FaultControl c) throws Exception {
    String body = call(c, "GET", "").body();
    return body.substring(body.indexOf("\"view\":"), body.indexOf(']', body.indexOf("\"view\":")));
  }

  private HttpResponse<String> call(FaultControl c, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port() + "/" + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
