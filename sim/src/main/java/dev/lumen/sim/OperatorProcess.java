package dev.lumen.sim;

import dev.lumen.testkit.kube.EmbeddedApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lumen run} as a separate JVM against an API server and simulated Google services of this
 * one, on a shared simulated clock: what a test or benchmark kills with SIGKILL to see that a
 * rollout survives its operator dying anywhere. Its output goes to a file, for when it misbehaves.
 */
public final class OperatorProcess implements AutoCloseable {
  /**
   * Where the operator finds everything.
   *
   * @param apiServer URL of the Kubernetes API server
   * @param google the loopback Cloud Run and Cloud Monitoring
   * @param origin what the clock showed at {@code anchor}
   * @param anchor a wall-clock instant
   * @param speed clock seconds per real second
   */
  public record Target(
      String apiServer,
      SimulatedGoogle google,
      Instant origin,
      Instant anchor,
      double speed,
      List<String> extraArgs) {}

  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the process; it is running, not necessarily ready, when this returns. */
  public static OperatorProcess start(Target target, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.lumen.sim.cli.LocalCommand");
    command.addAll(
        List.of(
            "run-simulated",
            "--port",
            "0",
            "--cloud-run-endpoint",
            "http://" + target.google().cloudRunServer().endpoint(),
            "--monitoring-endpoint",
            "http://" + target.google().monitoringServer().endpoint(),
            "--monitoring-http-endpoint",
            target.google().promqlServer().endpoint().toString(),
            "--clock",
            target.origin() + "," + target.anchor() + "," + target.speed(),
            "--metric-data-delay",
            "1m"));
    command.addAll(target.extraArgs());
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(EmbeddedApiServer.clientEnvironment(target.apiServer()));
    try {
      return new OperatorProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed, no lease is released. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last lines it printed, for a failure message. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops it gently, as Kubernetes does (SIGTERM), then kills it if it hangs. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }
}
