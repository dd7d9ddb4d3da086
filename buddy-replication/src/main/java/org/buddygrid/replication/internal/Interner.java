package org.buddygrid.replication.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one instance of strings that repeat across many sessions (routes, attribute names) when
 * they are decoded from the network, so thousands of backup copies do not each keep their own.
 * Bounded: past {@code capacity} distinct values, new ones are returned as they are (hostile input
 * cannot grow it).
 */
final class Interner {
  private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
  private final int capacity;

  Interner(int capacity) {
    this.capacity = capacity;
  }

  String intern(String s) {
    String known = values.get(s);
    if (known != null) {
      return known;
    }
    if (values.size() >= capacity) {
      return s;
    }
    known = values.putIfAbsent(s, s);
    return known != null ? known : s;
  }
}
