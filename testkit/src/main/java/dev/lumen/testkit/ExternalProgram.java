package dev.lumen.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system program the tests use for real (promtool, lua5.1, ...; the build installs them) and
 * returns its exit code with everything it printed.
 */
public final class ExternalProgram {
  public record Result(int exitCode, String output) {}

  private ExternalProgram() {}

  public static Result run(Path directory, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    return run(directory, timeout, command, Map.of());
  }

  /**
   * @param environment variables to set besides the inherited ones
   */
  public static Result run(
      Path directory, Duration timeout, List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    var builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output;
    try (var in = process.getInputStream()) {
      output = in.readAllBytes();
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish within " + timeout);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
