package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards one session used by parallel requests: no request's write is lost to another's (an
 * implementation that writes the whole session back at the end of each request would lose them),
 * and a value one request sets is seen by the next request at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface ConcurrencyChecks extends ConformanceFixture {

  /** Parallel requests. */
  int THREADS = 8;

  /** Requests per thread. */
  int ROUNDS = 15;

  private void inParallel(Browser b, IntFunction<String> opOfThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String op = opOfThread.apply(t);
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < ROUNDS; i++) {
                    assertThat(b.probe("existing", op).value(op)).matches("[0-9]+");
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void parallelRequestsUpdatingTheirOwnAttributesLoseNothing() throws Exception {
    Browser b = browser();
    b.probe("session");
    inParallel(b, t -> "incr:c" + t);
    String[] reads = IntStream.range(0, THREADS).mapToObj(t -> "get:c" + t).toArray(String[]::new);
    String[] ops = new String[THREADS + 1];
    ops[0] = "existing";
    System.arraycopy(reads, 0, ops, 1, THREADS);
    Reply r = b.probe(ops);
    for (String read : reads) {
      assertThat(r.value(read)).as(read).isEqualTo(String.valueOf(ROUNDS));
    }
  }

  @Test
  default void parallelIncrementsOfOneCounterLoseNothing() throws Exception {
    Browser b = browser();
    b.probe("session");
    // Each increment reads and sets the attribute under one lock: a value set by one request
    // must be what the next one reads.
    inParallel(b, t -> "lockedIncr:counter");
    assertThat(b.probe("existing", "get:counter").value("get:counter"))
        .isEqualTo(String.valueOf(THREADS * ROUNDS));
  }

  @Test
  default void parallelSetAttributeOfDistinctNamesKeepsThemAll() throws Exception {
    Browser b = browser();
    b.probe("session");
    List<CompletableFuture<Reply>> sets =
        IntStream.range(0, 50)
            .mapToObj(i -> b.probeAsync("", "existing", "set:k" + i + ":v" + i))
            .toList();
    for (CompletableFuture<Reply> set : sets) {
      Reply r = set.get(20, TimeUnit.SECONDS);
      assertThat(r.lines()).extracting(Map.Entry::getValue).last().isEqualTo("ok");
    }
    String expected =
        IntStream.range(0, 50).mapToObj(i -> "k" + i).sorted().collect(Collectors.joining(","));
    assertThat(b.probe("existing", "names").value("names")).isEqualTo(expected);
    Reply r = b.probe("existing", "get:k0", "get:k49");
    assertThat(r.value("get:k0")).isEqualTo("v0");
    assertThat(r.value("get:k49")).isEqualTo("v49");
  }
}
