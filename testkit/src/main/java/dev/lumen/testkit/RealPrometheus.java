package dev.lumen.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package; the build installs it when missing) scraping one loopback
 * target every second, with its data and log in a test's folder.
 */
public final class RealPrometheus implements AutoCloseable {
  private final Process process;
  private final URI url;
  private final Path log;

  public RealPrometheus(String scrapeTarget, Path dir) throws IOException {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            + "scrape_configs:\n"
            + "  - job_name: lumen-test\n"
            + "    static_configs: [{targets: ['"
            + scrapeTarget
            + "']}]\n");
    log = dir.resolve("prometheus.log");
    process =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    url = URI.create("http://127.0.0.1:" + port);
  }

  public URI url() {
    return url;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
