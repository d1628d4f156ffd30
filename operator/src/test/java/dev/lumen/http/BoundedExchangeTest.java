package dev.lumen.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user-chosen endpoint that streams without end, or drips, costs a bounded amount of memory and
 * time; on the JDK client's own handler the first filled the heap and the second held a thread.
 */
class BoundedExchangeTest {
  static final byte[] MEGABYTE = new byte[1024 * 1024];
  final HttpClient http = HttpClient.newHttpClient();
  HttpServer server;

  @BeforeEach
  void startMisbehavingEndpoints() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/endless",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
              out.write(MEGABYTE);
            }
          } catch (IOException closedByTheClient) {
            // expected
          }
        });
    server.createContext(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 1000; i++) {
              out.write('x');
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException closed) {
            // expected
          }
        });
    server.createContext(
        "/ok",
        exchange -> {
          byte[] body = "{\"ok\":true}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anEndlessBodyEndsAtTheSizeLimit() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> send("/endless", 64 * 1024, Duration.ofSeconds(10)))
        .isInstanceOf(BoundedExchange.ResponseTooLargeException.class)
        .hasMessage("response body larger than 65536 bytes");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aDrippingBodyEndsAtTheDeadline() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> send("/drip", 64 * 1024, Duration.ofSeconds(1)))
        .isInstanceOf(HttpTimeoutException.class)
        .hasMessage("no complete response within PT1S");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aSmallBodyIsRead() throws Exception {
    assertThat(send("/ok", 64 * 1024, Duration.ofSeconds(5)).body()).isEqualTo("{\"ok\":true}");
  }

  private java.net.http.HttpResponse<String> send(String path, int maxBytes, Duration deadline)
      throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .timeout(deadline)
            .build();
    return BoundedExchange.send(http, request, maxBytes, deadline);
  }
}
