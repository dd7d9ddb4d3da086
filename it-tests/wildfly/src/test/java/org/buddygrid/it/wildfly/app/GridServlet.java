package org.buddygrid.it.wildfly.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.buddygrid.core.Member;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.BuddyGridSessions;

/**
 * {@code GET /grid}: the grid as this node sees it ({@code members}, {@code owned} sessions), and
 * where the libraries BuddyGrid runs on were loaded from: {@code <library>.fromWar=true} when the
 * class came from the WAR's own {@code WEB-INF/lib} (the deployment's class loader) rather than
 * from a WildFly module.
 */
@WebServlet("/grid")
public class GridServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("servedBy", System.getProperty("jboss.node.name"));
    SessionGrid grid = BuddyGridSessions.grid(getServletContext()).orElse(null);
    out.put("active", grid != null);
    if (grid != null) {
      out.put(
          "members",
          grid.node().view().members().stream()
              .map(Member::route)
              .sorted()
              .collect(Collectors.joining(",")));
      out.put("owned", grid.ownedSessions());
    }
    ClassLoader war = getClass().getClassLoader();
    out.put("jgroups.fromWar", org.jgroups.JChannel.class.getClassLoader() == war);
    out.put("jgroups.version", org.jgroups.Version.printVersion());
    out.put("kryo.fromWar", com.esotericsoftware.kryo.Kryo.class.getClassLoader() == war);
    out.put(
        "caffeine.fromWar",
        com.github.benmanes.caffeine.cache.Caffeine.class.getClassLoader() == war);
    out.put(
        "buddygrid.fromWar", org.buddygrid.session.BuddyGridFilter.class.getClassLoader() == war);
    Lines.write(resp, out);
  }
}
