package org.buddygrid.demo.grid;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that happened in the grid, as one node saw it: a member joined or left, sessions were
 * taken over, promoted or handed over.
 *
 * @param time when this node saw it, epoch milliseconds
 * @param kind {@code joined}, {@code left}, {@code takeover}, {@code promoted} or {@code handoff}
 * @param node the member it happened on
 * @param text one line for people
 * @param key the same for the same event seen by every node, so a dashboard that polls several
 *     nodes shows it once
 */
public record GridEvent(long time, String kind, String node, String text, String key) {
  /** As a JSON object's fields. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", time);
    m.put("kind", kind);
    m.put("node", node);
    m.put("text", text);
    m.put("key", key);
    return m;
  }
}
