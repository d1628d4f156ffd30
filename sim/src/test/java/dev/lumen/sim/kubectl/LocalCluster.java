package dev.lumen.sim.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.sim.cli.LocalCommand;
import dev.lumen.testkit.CommandRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code lumen run-local} in this JVM with the given files applied, and the real kubectl binary run
 * against the kubeconfig it writes: what a person at the keyboard does.
 */
final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final Path kubeconfig;
  private final Thread runner;
  private final CompletableFuture<CommandRun> run = new CompletableFuture<>();

  /** The output of one kubectl run. */
  record Result(int exitCode, String out) {}

  /** {@code lumen run-local} with these files applied. */
  static LocalCluster runLocal(String... applied) throws Exception {
    List<String> args = new ArrayList<>(List.of("run-local", "--port", "0", "--duration", "10m"));
    for (String file : applied) {
      args.addAll(List.of("--apply", file));
    }
    return new LocalCluster(args);
  }

  /** {@code lumen demo} with these options. */
  static LocalCluster demo(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("demo"));
    args.addAll(List.of(options));
    return new LocalCluster(args);
  }

  private LocalCluster(List<String> command) throws Exception {
    dir = Files.createTempDirectory("lumen-kubectl");
    kubeconfig = dir.resolve("kubeconfig");
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--write-kubeconfig", kubeconfig.toString()));
    runner =
        new Thread(
            () ->
                run.complete(
                    CommandRun.of(LocalCommand.commandLine(), args.toArray(String[]::new))),
            "run-local");
    runner.setDaemon(true);
    runner.start();
    Instant deadline = Instant.now().plusSeconds(90);
    while (!Files.exists(kubeconfig)) {
      assertThat(run).as("run-local ended before it wrote its kubeconfig").isNotDone();
      assertThat(Instant.now()).as("run-local wrote no kubeconfig in 90 s").isBefore(deadline);
      Thread.sleep(100);
    }
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** Runs kubectl with these arguments against the local cluster, waiting up to a minute. */
  Result kubectl(String... args) throws IOException, InterruptedException {
    return run(command("kubectl", args), Duration.ofMinutes(1));
  }

  /** Runs {@code kubectl lumen} with these arguments, as kubectl finds the plugin. */
  Result kubectlLumen(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "lumen"));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(2));
  }

  /** What the command run in this JVM printed and returned; waits for it to end. */
  CommandRun awaitEnd(Duration within) throws Exception {
    return run.get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs any program with the local cluster's kubeconfig in its environment. */
  Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    process.environment().put("KUBECONFIG", kubeconfig.toString());
    process.environment().put("HOME", dir.toString());
    // kubectl finds the kubectl-lumen launcher of this checkout, which runs the jar just built.
    Path root = Path.of(System.getProperty("lumen.samples.dir")).getParent();
    process.environment().put("PATH", root + java.io.File.pathSeparator + System.getenv("PATH"));
    process.environment().put("LUMEN_JAR", System.getProperty("lumen.sim.jar"));
    Process started = process.start();
    var output = CompletableFuture.supplyAsync(() -> read(started));
    if (!started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      started.destroyForcibly();
      throw new AssertionError(command + " did not end in " + timeout + ": " + output.getNow("?"));
    }
    return new Result(started.exitValue(), output.join());
  }

  private List<String> command(String program, String... args) {
    List<String> command = new ArrayList<>(List.of(program));
    command.addAll(List.of(args));
    command.addAll(List.of("--cache-dir", dir.resolve("cache").toString()));
    return command;
  }

  private static String read(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Polls until the check holds, or fails with what it last saw. */
  void eventually(Duration within, Check check) throws Exception {
    Instant deadline = Instant.now().plus(within);
    AssertionError last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw last == null ? new AssertionError("not checked within " + within) : last;
  }

  /** An assertion that may not hold yet. */
  interface Check {
    void run() throws Exception;
  }

  @Override
  public void close() throws Exception {
    if (!run.isDone()) {
      runner.interrupt();
    }
    run.get(30, TimeUnit.SECONDS);
    assertThat(Files.exists(kubeconfig)).as("run-local removes its kubeconfig on exit").isFalse();
  }
}
