package dev.lake.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/** Serves the dashboard's files from the jar: its own and uPlot's, from uPlot's webjar. */
final class DashboardHandler implements HttpHandler {
  private static final String OWN = "/dev/lake/cli/dashboard/";
  private static final String UPLOT =
      "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
  private static final Map<String, String> FILES =
      Map.of(
          "/", OWN + "index.html",
          "/index.html", OWN + "index.html",
          "/dashboard.js", OWN + "dashboard.js",
          "/dashboard.css", OWN + "dashboard.css",
          "/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
          "/uPlot.min.css", UPLOT + "uPlot.min.css");

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String resource = FILES.get(exchange.getRequestURI().getPath());
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "Method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (resource == null) {
        send(
            exchange,
            404,
            "text/plain",
            "Not found: try / (the dashboard) or /metrics\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Cannot find dashboard file " + resource + " in the jar");
        }
        send(exchange, 200, contentType(resource), in.readAllBytes());
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String contentType(String resource) {
    if (resource.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (resource.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/javascript; charset=utf-8";
  }

  /** uPlot's version, from its webjar: the root pom names it once. */
  private static String uplotVersion() {
    try (InputStream in =
        DashboardHandler.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("Cannot find uPlot's webjar on the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read uPlot's webjar: " + e.getMessage(), e);
    }
  }
}
