package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that never finish their request cannot stop the probes. The server runs in a process
 * of its own, as in a pod: the JDK server takes its request time limits once per process.
 */
class HalfOpenConnectionsTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final List<Socket> halfOpen = new ArrayList<>();
  Process server;
  int port;

  @BeforeEach
  void startServerProcess() throws IOException {
    server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Serve.class.getName())
            .redirectErrorStream(true)
            .start();
    var out = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF8));
    port = Integer.parseInt(out.readLine().trim());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : halfOpen) {
      socket.close();
    }
    server.destroyForcibly();
  }

  @Test
  void aFewHalfOpenConnectionsDoNotDelayTheProbes() throws Exception {
    openHalfOpen(OperatorHttpServer.THREADS / 2);

    long started = System.nanoTime();
    assertThat(healthz(Duration.ofSeconds(1)).statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void manyHalfOpenConnectionsAreClosedAndTheProbesAnsweredWithinTheRequestTimeLimit()
      throws Exception {
    openHalfOpen(OperatorHttpServer.THREADS * 3);
    Duration limit = Duration.ofSeconds(OperatorHttpServer.MAX_REQUEST_SECONDS + 3);

    assertThat(healthz(limit).statusCode()).isEqualTo(200);
    halfOpen.get(0).setSoTimeout((int) limit.toMillis());
    assertThat(halfOpen.get(0).getInputStream().read()).as("closed by the server").isEqualTo(-1);
  }

  private void openHalfOpen(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket("127.0.0.1", port);
      socket.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(UTF8));
      socket.getOutputStream().flush();
      halfOpen.add(socket);
    }
  }

  private HttpResponse<String> healthz(Duration timeout) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(timeout)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  /** The server process: prints its port, serves until killed. */
  public static final class Serve {
    public static void main(String[] args) throws Exception {
      var server =
          OperatorHttpServer.start(
              0, () -> true, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      System.out.println(server.port());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
