package dev.lumen.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.PortException;
import dev.lumen.testkit.HttpSink;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
            HttpEndpoint.of(URI.create("http://reader:s3cret@127.0.0.1:" + closed + "/prom")),
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> api.get("query", Map.of("query", "up"), "up"))
        .hasMessageStartingWith("Prometheus unreachable at http://127.0.0.1:" + closed + "/prom/")
        .message()
        .doesNotContain("s3cret")
        .doesNotContain("reader");
  }

  @Test
  void credentialsGoWithEveryQueryAndARefusalSaysWhichWithoutShowingThem() {
    try (HttpSink prometheus = HttpSink.start()) {
      prometheus.respondWith(401);
      var api =
          new PrometheusApi(
              new HttpEndpoint(prometheus.url("/prom"), Optional.of("Bearer pr0m-t0ken")),
              Duration.ofSeconds(2));

      assertThatThrownBy(() -> api.get("query", Map.of("query", "up"), "up"))
          .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse())
          .hasMessageContaining(
              "refused the credentials from spec.source.prometheus.auth (HTTP 401)")
          .message()
          .doesNotContain("pr0m-t0ken");
      assertThat(prometheus.requests("/prom/api/v1/query"))
          .extracting(HttpSink.Request::authorization)
          .containsExactly("Bearer pr0m-t0ken");
    }
  }
}
