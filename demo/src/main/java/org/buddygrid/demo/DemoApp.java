package org.buddygrid.demo;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Set;
import org.buddygrid.demo.grid.ControlServlet;
import org.buddygrid.demo.grid.DashboardServlet;
import org.buddygrid.demo.grid.LauncherClient;
import org.buddygrid.demo.grid.ServedByFilter;
import org.buddygrid.demo.grid.StateServlet;
import org.buddygrid.demo.shop.ApiServlet;
import org.buddygrid.demo.shop.ShopServlet;

/**
 * The demo web application: the shop ({@code /}, {@code /api/*}) and the grid dashboard ({@code
 * /grid}). Added after BuddyGrid's own initializer, so BuddyGrid's filter runs first.
 */
final class DemoApp implements ServletContainerInitializer {
  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
    DemoNode node = DemoNode.of(ctx);
    String route = node.options().route();
    LauncherClient launcher = new LauncherClient(node.options().controlUrl());
    ctx.addFilter("served-by", new ServedByFilter(node))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    ctx.addServlet("shop", new ShopServlet(route))
        .addMapping("/", "/login", "/logout", "/cart/add", "/cart/clear");
    ctx.addServlet("api", new ApiServlet(route)).addMapping("/api/counter", "/api/cart");
    ctx.addServlet("files", new DashboardServlet())
        .addMapping("/grid", "/grid/", "/grid/static/*", "/static/*", "/favicon.ico");
    ctx.addServlet("state", new StateServlet(node, launcher)).addMapping("/grid/api/state");
    ctx.addServlet("control", new ControlServlet(launcher)).addMapping("/grid/api/control");
  }
}
