package org.buddygrid.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.buddygrid.demo.fault.FaultControl;

/**
 * {@code java -jar demo/target/buddygrid-demo.jar --route node1 ...}: runs one demo node until
 * SIGTERM or Ctrl-C, then leaves the grid gracefully. Exit status: 0 after a graceful stop or
 * {@code --help}, 1 if the node could not start or stop cleanly, 2 for bad options.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) {
    // Before anything touches the network: JGroups binds IPv4 addresses.
    System.setProperty("java.net.preferIPv4Stack", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a node with {@code args} until the JVM is asked to stop; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    NodeOptions.Parsed parsed = NodeOptions.parse(args);
    if (parsed instanceof NodeOptions.Help) {
      out.print(NodeOptions.help());
      return 0;
    }
    if (parsed instanceof NodeOptions.Invalid invalid) {
      invalid.problems().forEach(p -> err.println("error: " + p));
      err.println("Run with --help to see every option and its default.");
      return 2;
    }
    NodeOptions options = ((NodeOptions.Valid) parsed).options();
    DemoNode node;
    try {
      node = new DemoNode(options);
    } catch (SessionMode.UnavailableModeException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              int owned = node.grid().map(g -> g.ownedSessions()).orElse(0);
              out.println(
                  "STOPPING "
                      + options.route()
                      + " (handing "
                      + owned
                      + " session(s) to other nodes)");
              out.flush();
              int status = 1;
              try {
                node.stop();
                status = 0;
              } catch (RuntimeException e) {
                e.printStackTrace(err);
              } finally {
                out.println("STOPPED " + options.route());
                out.flush();
                stopped.countDown();
              }
              // A graceful stop is a clean exit: status 0, not the 143 of a JVM ended by SIGTERM.
              Runtime.getRuntime().halt(status);
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      node.start();
    } catch (Exception | LinkageError e) {
      err.println("error: " + options.route() + " could not start: " + e);
      e.printStackTrace(err);
      Runtime.getRuntime().removeShutdownHook(hook);
      try {
        node.stop();
      } catch (RuntimeException ignored) {
        // already failing
      }
      return 1;
    }
    if (options.faultControlPort().isPresent()) {
      try {
        FaultControl control =
            FaultControl.start(
                options.faultControlPort().getAsInt(), () -> node.grid().orElse(null));
        out.println(
            "FAULT-CONTROL " + options.route() + " http://127.0.0.1:" + control.port() + "/");
      } catch (IOException e) {
        err.println(
            "error: --fault-control-port "
                + options.faultControlPort().getAsInt()
                + " cannot be bound: "
                + e.getMessage()
                + "; choose a free port");
        Runtime.getRuntime().removeShutdownHook(hook);
        node.stop();
        return 1;
      }
    }
    out.println("READY " + options.route() + " " + options.baseUrl());
    out.flush();
    if (options.controlUrl().isPresent()) {
      // Started by the launcher: leave with it, even if it was killed and could not stop us.
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    try {
      stopped.await(); // the shutdown hook ends the node; System.exit is then already under way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
