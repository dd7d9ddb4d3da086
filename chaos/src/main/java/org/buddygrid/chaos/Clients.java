package org.buddygrid.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client threads, each owning some sessions and incrementing their counters with {@code POST
 * /api/counter}, one request at a time per session. A request goes to the node named by the session
 * id's route, or (one in five, and whenever that node does not answer) to another node, as a
 * failing-over balancer would; a {@code 503} with a new cookie is followed. Every value a node
 * acknowledged (200) is recorded; a value not above the last acknowledged one, or a new session id,
 * is a loss, counted with the acknowledgement times of the writes lost.
 */
final class Clients implements AutoCloseable {
  private static final Pattern VALUE = Pattern.compile("\"value\":(\\d+)");
  private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\":(null|\"([^\"]*)\")");
  private static final Pattern COOKIE = Pattern.compile("JSESSIONID=([^;]+)");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  /** Acknowledgement times kept per session, to date the writes a loss takes away. */
  private static final int HISTORY = 4096;

  /** One write the grid acknowledged and then lost. */
  record Loss(String sessionId, long acknowledged, long found, long ackedAtMillis) {}

  /** A session's client-side record. */
  static final class Session {
    final int index;
    volatile String id;
    volatile long lastAck;
    final Deque<long[]> acks = new ArrayDeque<>(); // {value, epoch millis}

    Session(int index) {
      this.index = index;
    }

    synchronized void acknowledged(long value, long now) {
      lastAck = value;
      acks.addLast(new long[] {value, now});
      if (acks.size() > HISTORY) {
        acks.removeFirst();
      }
    }

    /** The writes above {@code found} are gone: returns them and makes {@code found} the base. */
    synchronized List<Loss> lostAbove(long found) {
      List<Loss> lost = new ArrayList<>();
      for (long[] a : acks) {
        if (a[0] > found) {
          lost.add(new Loss(id, a[0], found, a[1]));
        }
      }
      acks.removeIf(a -> a[0] > found);
      lastAck = found;
      return lost;
    }
  }

  private final List<? extends Endpoint> nodes;
  private final HttpClient http;
  private final PrintStream out;
  private final List<Session> sessions = new ArrayList<>();
  private final List<Loss> losses = new ArrayList<>();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong renamedIds = new AtomicLong();
  private final int nonStickyPercent;
  private final List<Abandoned> abandoned = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Replaced sessions found again, with their acknowledged value, by the check. */
  final AtomicLong stillThere = new AtomicLong();

  Clients(
      List<? extends Endpoint> nodes,
      HttpClient http,
      PrintStream out,
      int clients,
      int sessions,
      int nonStickyPercent,
      long seed) {
    this.nodes = nodes;
    this.nonStickyPercent = nonStickyPercent;
    this.http = http;
    this.out = out;
    for (int i = 0; i < sessions; i++) {
      this.sessions.add(new Session(i));
    }
    for (int c = 0; c < clients; c++) {
      List<Session> own = new ArrayList<>();
      for (int i = c; i < sessions; i += clients) {
        own.add(this.sessions.get(i));
      }
      Random random = new Random(seed * 31 + c);
      Thread t = new Thread(() -> loop(own, random), "chaos-client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  List<Session> sessions() {
    return sessions;
  }

  synchronized List<Loss> losses() {
    return List.copyOf(losses);
  }

  private void loop(List<Session> own, Random random) {
    while (running) {
      for (Session s : own) {
        if (!running) {
          return;
        }
        gate.readLock().lock();
        try {
          increment(s, random);
        } finally {
          gate.readLock().unlock();
        }
      }
    }
  }

  /** One {@code POST /api/counter}; failures are counted, not retried (the loop comes back). */
  private void increment(Session s, Random random) {
    Endpoint target = target(s, random);
    HttpResponse<String> r;
    try {
      r = send(target, "POST", s.id);
    } catch (IOException e) {
      failed.incrementAndGet();
      return; // not acknowledged: the write may or may not have happened
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return;
    }
    if (r.statusCode() == 200) {
      acknowledged.incrementAndGet();
      record(s, r.body(), target);
    } else if (r.statusCode() == 503) {
      unavailable.incrementAndGet();
      r.headers()
          .allValues("Set-Cookie")
          .forEach(
              c -> {
                Matcher m = COOKIE.matcher(c);
                if (m.find() && s.id != null && base(m.group(1)).equals(base(s.id))) {
                  s.id = m.group(1);
                }
              });
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // Retry-After, briefly
    } else {
      failed.incrementAndGet();
    }
  }

  private void record(Session s, String body, Endpoint servedBy) {
    Matcher v = VALUE.matcher(body);
    Matcher id = SESSION_ID.matcher(body);
    if (!v.find() || !id.find() || id.group(2) == null) {
      failed.incrementAndGet();
      return;
    }
    long value = Long.parseLong(v.group(1));
    String newId = id.group(2);
    long now = System.currentTimeMillis();
    boolean renamed = s.id != null && !base(newId).equals(base(s.id));
    if (value <= s.lastAck) {
      if (renamed) {
        abandoned.add(new Abandoned(s.id, s.lastAck));
      }
      lost(
          s,
          value - 1,
          "session "
              + s.id
              + ": "
              + servedBy.route()
              + " incremented to "
              + value
              + (renamed ? " under a new id " + newId : ""));
    } else if (renamed) {
      renamedIds.incrementAndGet(); // the same counter under a new id: nothing lost
      out.printf("  session %s continues as %s at %d%n", s.id, newId, value);
    }
    s.id = newId;
    s.acknowledged(value, now);
  }

  /**
   * Reads every session (clients paused) and returns the losses found: a value below the last
   * acknowledged one, or a session no node has. Unreadable sessions are retried until {@code
   * deadline}; those still unreadable are returned as {@code unreadable}.
   */
  CheckResult check(long deadlineNanos) throws InterruptedException {
    gate.writeLock().lock();
    try {
      List<Loss> found = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      Random random = new Random(42);
      for (Session s : sessions) {
        if (s.id == null) {
          continue;
        }
        Optional<Long> value = readValue(s, random, deadlineNanos);
        if (value.isEmpty()) {
          unreadable.add(s.id);
        } else if (value.get() < s.lastAck) {
          found.addAll(lost(s, value.get(), "check: session " + s.id + " holds " + value.get()));
        }
      }
      for (Abandoned a : abandoned) {
        Session old = new Session(-1);
        old.id = a.id();
        long deadline = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        Optional<Long> v = readValue(old, random, deadline);
        if (v.isPresent() && v.get() >= a.lastAck()) {
          stillThere.incrementAndGet();
          out.printf(
              "  session %s still holds %d (>= acknowledged %d): a node answered with a new session"
                  + " instead of finding it%n",
              a.id(), v.get(), a.lastAck());
        }
      }
      abandoned.clear();
      return new CheckResult(found, unreadable);
    } finally {
      gate.writeLock().unlock();
    }
  }

  record CheckResult(List<Loss> losses, List<String> unreadable) {}

  /** A session id a node replaced by a new session, with its last acknowledged value. */
  private record Abandoned(String id, long lastAck) {}

  /** The session's value, 0 if no node has it (asked once per node), empty if none answered. */
  private Optional<Long> readValue(Session s, Random random, long deadlineNanos)
      throws InterruptedException {
    int absent = 0;
    while (System.nanoTime() < deadlineNanos) {
      Read r = read(s, random);
      if (r == Read.ABSENT && ++absent >= nodes.size()) {
        return Optional.of(0L);
      } else if (r.value() >= 0) {
        return Optional.of(r.value());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    return Optional.empty();
  }

  /** A read: the value, {@link #ABSENT} (the node has no such session) or {@link #FAILED}. */
  record Read(long value) {
    static final Read ABSENT = new Read(-1);
    static final Read FAILED = new Read(-2);
  }

  /** {@code GET /api/counter} of the session on one node; a 503's new cookie is followed. */
  private Read read(Session s, Random random) throws InterruptedException {
    Endpoint target = target(s, random);
    try {
      HttpResponse<String> r = send(target, "GET", s.id);
      if (r.statusCode() != 200) {
        r.headers()
            .firstValue("Set-Cookie")
            .map(COOKIE::matcher)
            .filter(Matcher::find)
            .filter(m -> base(m.group(1)).equals(base(s.id)))
            .ifPresent(m -> s.id = m.group(1));
        return Read.FAILED;
      }
      Matcher v = VALUE.matcher(r.body());
      Matcher id = SESSION_ID.matcher(r.body());
      if (!v.find() || !id.find()) {
        return Read.FAILED;
      }
      return id.group(2) == null ? Read.ABSENT : new Read(Long.parseLong(v.group(1)));
    } catch (IOException e) {
      return Read.FAILED;
    }
  }

  private List<Loss> lost(Session s, long found, String what) {
    long acked = s.lastAck;
    List<Loss> l = s.lostAbove(found);
    synchronized (this) {
      losses.addAll(l);
    }
    out.printf(
        "  LOST %d acknowledged write(s): %s (last acknowledged %d)%n", l.size(), what, acked);
    return l;
  }

  private Endpoint target(Session s, Random random) {
    List<Endpoint> alive =
        nodes.stream().filter(Endpoint::isAlive).map(Endpoint.class::cast).toList();
    List<? extends Endpoint> pool = alive.isEmpty() ? nodes : alive;
    if (s.id != null && random.nextInt(100) >= nonStickyPercent) {
      String route = s.id.substring(s.id.lastIndexOf('.') + 1);
      for (Endpoint n : pool) {
        if (n.route().equals(route)) {
          return n;
        }
      }
    }
    return pool.get(random.nextInt(pool.size()));
  }

  private HttpResponse<String> send(Endpoint node, String method, String id)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.url() + "api/counter"))
            .timeout(REQUEST_TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (id != null) {
      b.header("Cookie", "JSESSIONID=" + id);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A session id without its route suffix. */
  static String base(String id) {
    int dot = id.lastIndexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
