package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.testkit.ExternalProgram;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the operator as its own process, as a log collector would see it. */
class LogFormatIT {
  @Test
  void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
    List<String> lines = runOperator("--log-format", "json");

    assertThat(lines).isNotEmpty();
    var mapper = new ObjectMapper();
    List<String> messages = new java.util.ArrayList<>();
    for (String line : lines) {
      JsonNode entry = mapper.readTree(line);
      assertThat(entry.path("severity").asText())
          .as(line)
          .isIn("DEBUG", "INFO", "WARNING", "ERROR");
      // RFC 3339, as Cloud Logging reads the entry's time.
      java.time.Instant.parse(entry.path("time").asText());
      messages.add(entry.path("message").asText());
    }
    assertThat(messages).anyMatch(m -> m.startsWith("Serving /healthz, /readyz and /metrics"));
  }

  @Test
  void plainFormatWritesReadableLines() throws Exception {
    List<String> lines = runOperator("--log-format", "plain");

    assertThat(lines)
        .anyMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*Serving /healthz.*"));
  }

  private static List<String> runOperator(String... logOptions)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LumenCommand.class.getName(),
                "run",
                // Nothing is reconciled, so nothing is asked of Google: no credentials needed.
                "--cloud-run-endpoint",
                "http://127.0.0.1:1",
                "--monitoring-endpoint",
                "http://127.0.0.1:1",
                "--port",
                "0",
                "--duration",
                "0s"));
    command.addAll(List.of(logOptions));
    ExternalProgram.Result run;
    try (var api = EmbeddedApiServer.start()) {
      run =
          ExternalProgram.run(
              Path.of("."),
              Duration.ofSeconds(60),
              command,
              EmbeddedApiServer.clientEnvironment(api.url()));
    }
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output().lines().filter(l -> !l.isBlank()).toList();
  }
}
