package org.buddygrid.core.attribute.refused;

import java.util.concurrent.atomic.AtomicInteger;

/** A class no test policy allows; counts its instantiations through its constructor. */
public class Gadget {
  public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

  public String command = "rm -rf /";

  public Gadget() {
    CONSTRUCTED.incrementAndGet();
  }
}
