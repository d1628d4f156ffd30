package dev.lumen.prometheus;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusApiTest {
  @Test
  void anUnreachablePrometheusIsNamedWithoutTheCredentialsOfItsUrl() throws IOException {
    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    var api =
        new PrometheusApi(
            URI.create("http://reader:s3cret@127.0.0.1:" + closed + "/prom"),
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> api.get("query", Map.of("query", "up"), "up"))
        .hasMessageStartingWith("Prometheus unreachable at http://127.0.0.1:" + closed + "/prom/")
        .message()
        .doesNotContain("s3cret")
        .doesNotContain("reader");
  }
}
