package dev.lumen.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What ships is the operator and nothing else: no simulator, no test fixture, no test server, no
 * redis-server binaries; the build's enforcer rule keeps them out of the dependencies, this looks
 * into the jar itself.
 */
class ShippedJarIT {
  static final Path JAR = Path.of(System.getProperty("lumen.jar"));
  static final long MAX_BYTES = 80L * 1024 * 1024;

  @Test
  void holdsNoSimulatorNoFixturesAndNoTestServers() throws IOException {
    List<String> entries;
    try (var jar = new JarFile(JAR.toFile())) {
      entries = jar.stream().map(e -> e.getName()).toList();
    }

    assertThat(entries).contains("dev/lumen/cli/LumenCommand.class", "dev/lumen/crds/");
    assertThat(entries)
        .noneMatch(e -> e.startsWith("dev/lumen/sim/"))
        .noneMatch(e -> e.startsWith("dev/lumen/testkit/"))
        .noneMatch(e -> e.startsWith("dev/lumen/clock/"))
        .noneMatch(e -> e.matches("dev/lumen/ports/(Fake|InMemory).*"))
        .noneMatch(e -> e.startsWith("io/fabric8/mockwebserver/"))
        .noneMatch(e -> e.startsWith("org/bouncycastle/"))
        .noneMatch(e -> e.startsWith("io/vertx/"))
        .noneMatch(e -> e.startsWith("redis/embedded/"))
        .noneMatch(e -> e.contains("redis-server"))
        .noneMatch(e -> e.startsWith("scenarios/"));
  }

  @Test
  void saysWhichVersionItIs() throws Exception {
    var run =
        dev.lumen.testkit.ExternalProgram.run(
            Path.of("."),
            java.time.Duration.ofSeconds(60),
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--version"),
            java.util.Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().strip())
        .as("not \"development build\"")
        .matches("lumen \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void isAtMost80Megabytes() throws IOException {
    long size = Files.size(JAR);
    System.out.printf("lumen-operator.jar: %.1f MB%n", size / 1024.0 / 1024.0);
    assertThat(size).isLessThanOrEqualTo(MAX_BYTES);
  }
}
