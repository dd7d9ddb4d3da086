package org.buddygrid.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load generator thread's worth of simulated browsers: a raw HTTP/1.1 keep-alive connection to
 * one node (a sticky balancer's choice) and {@code sessions} session cookies used in turn, in a
 * closed loop (send, read the whole answer, send the next). Latency is recorded from the first byte
 * written to the last byte read; a closed loop does not correct for coordinated omission (a stalled
 * server also stalls the offered load), which the harness says with its figures.
 *
 * <p>When the node fails (connection refused, reset or closed), the request counts as failed and
 * the client moves to another node, as a balancer does; its cookies go along. Not thread-safe.
 */
final class LoadClient implements AutoCloseable {
  /** What each request does. */
  enum Work {
    /** {@code /app/write}: every request changes the counter. */
    WRITE,
    /** {@code /app/mixed}: one request in ten writes, the others read. */
    MIXED,
    /** {@code /app/create}: every request creates a new session (no cookie sent). */
    CREATE
  }

  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Work work;
  private final List<Integer> ports;
  private int node;
  private final String[] cookies;
  private final long[] counters;
  private final long[] firstServedAfter;
  private int next;
  private long requestsDone;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
  long requests;
  long writes;
  long failed;
  long lostSessions;
  long lostUpdates;

  /** Nanos of the moment after which {@link #firstServedAfter} records, 0 for never. */
  volatile long watchFrom;

  /**
   * @param ports every node's HTTP port
   * @param node index in {@code ports} of the node this client starts on
   */
  LoadClient(Work work, List<Integer> ports, int node, int sessions) {
    this.work = work;
    this.ports = ports;
    this.node = node;
    this.cookies = new String[work == Work.CREATE ? 1 : sessions];
    this.counters = new long[cookies.length];
    this.firstServedAfter = new long[cookies.length];
  }

  int node() {
    return node;
  }

  /** Clears the counts (not the sessions). */
  void reset() {
    latency.reset();
    requests = writes = failed = lostSessions = lostUpdates = 0;
  }

  /** Whether every session was served after {@link #watchFrom}; the latest first serving. */
  long lastRecoveryNanos() {
    long worst = 0;
    for (long t : firstServedAfter) {
      if (t == 0) {
        return -1;
      }
      worst = Math.max(worst, t - watchFrom);
    }
    return worst;
  }

  /** Runs requests until {@code deadline} ({@code System.nanoTime()}). */
  void runUntil(long deadline) {
    while (System.nanoTime() < deadline) {
      call();
    }
  }

  /** One request, with the next session in turn; never throws for a failed node. */
  void call() {
    int s = next;
    next = (next + 1) % cookies.length;
    boolean write = work == Work.WRITE || work == Work.MIXED && requestsDone % 10 == 9;
    requestsDone++;
    String path =
        switch (work) {
          case WRITE -> "/write";
          case MIXED -> write ? "/mixed?w=1" : "/mixed?w=0";
          case CREATE -> "/create";
        };
    long start = System.nanoTime();
    try {
      if (socket == null) {
        connect();
      }
      String cookie = work == Work.CREATE ? null : cookies[s];
      out.write(
          ("GET "
                  + BenchNode.APP
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + (cookie == null ? "" : "Cookie: JSESSIONID=" + cookie + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      HttpAnswer r = HttpAnswer.read(in, line);
      if (r.close()) {
        closeSocket();
      }
      long end = System.nanoTime();
      latency.recordValue(Math.min(HIGHEST_NANOS, end - start));
      requests++;
      if (r.status() != 200) {
        failed++;
        return;
      }
      if (work != Work.CREATE) {
        if (r.sessionCookie() != null && !r.sessionCookie().isEmpty()) {
          cookies[s] = r.sessionCookie();
        }
        if (counters[s] > 0 && r.value() == 0) {
          lostSessions++;
        } else if (write && counters[s] > 0 && r.value() <= counters[s]) {
          // Went back: an acknowledged update is gone. (A jump ahead is an update whose answer
          // was lost with a failed node, applied all the same.)
          lostUpdates++;
        }
        counters[s] = r.value();
      }
      if (write && r.value() > 0 || work == Work.CREATE) {
        writes++;
      }
      long from = watchFrom;
      if (from != 0 && firstServedAfter[s] == 0 && end > from) {
        firstServedAfter[s] = end;
      }
    } catch (IOException e) {
      requests++;
      failed++;
      closeSocket();
      failOver();
    }
  }

  /** Moves to another node that is not the failed one, spreading clients over the rest. */
  private void failOver() {
    if (ports.size() > 1) {
      int shift = 1 + (int) (Math.abs((long) System.identityHashCode(this)) % (ports.size() - 1));
      node = (node + shift) % ports.size();
    }
  }

  private final StringBuilder line = new StringBuilder(64);

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", ports.get(node)), 5_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 4096);
    out = socket.getOutputStream();
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a failed connection
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    closeSocket();
  }
}
