package dev.lumen.testkit.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the fakes of Google's HTTP APIs share: a loopback server, JSON answers, Google's errors. */
final class LoopbackHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoopbackHttp() {}

  /** A server on a free loopback port, every path to {@code handler}, started. */
  static HttpServer start(HttpHandler handler) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", handler);
    server.start();
    return server;
  }

  static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Google's error shape: {"error": {"code", "status", "message"}}. */
  static Map<String, Object> googleError(int code, String status, String message) {
    return Map.of("error", Map.of("code", code, "status", status, "message", message));
  }
}
