package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** In a JVM of its own, which sees as many CPUs as a small pod: the pool is set once a process. */
class CommonPoolTest {
  @Test
  void onTwoCpusAsynchronousStepsShareThePool() throws Exception {
    assertThat(run(2, true)).isEqualTo("parallelism 2, default executor ForkJoinPool");
    assertThat(run(1, true)).isEqualTo("parallelism 2, default executor ForkJoinPool");
  }

  @Test
  void withoutItTwoCpusGiveEveryStepAThreadOfItsOwn() throws Exception {
    assertThat(run(2, false)).isEqualTo("parallelism 1, default executor ThreadPerTaskExecutor");
  }

  @Test
  void anExplicitSettingIsKept() throws Exception {
    assertThat(run(2, true, "-D" + CommonPool.PARALLELISM + "=5"))
        .isEqualTo("parallelism 5, default executor ForkJoinPool");
  }

  private static String run(int cpus, boolean atLeastTwo, String... options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:ActiveProcessorCount=" + cpus);
    command.addAll(List.of(options));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Probe.class.getName(),
            String.valueOf(atLeastTwo)));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out.trim();
  }

  /** What a main that calls {@link CommonPool#atLeastTwoThreads()} first gets. */
  public static final class Probe {
    public static void main(String[] args) {
      if (Boolean.parseBoolean(args[0])) {
        CommonPool.atLeastTwoThreads();
      }
      var executor = new CompletableFuture<Void>().defaultExecutor();
      System.out.println(
          "parallelism "
              + ForkJoinPool.getCommonPoolParallelism()
              + ", default executor "
              + executor.getClass().getSimpleName());
    }
  }
}
