package dev.lumen.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.sim.SimulatedGoogle;
import dev.lumen.testkit.ExternalProgram;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar ({@code operator/target/lumen-operator.jar}, which this module's build comes
 * after) started as the image and the chart run it (no Docker engine here to build the image
 * itself): the jar at /app, user 65532, nothing writable but the temporary directory (the chart's
 * emptyDir on /tmp), the working directory and HOME read-only, the chart's JVM options. Anything
 * that wants to write elsewhere (a native library extracted next to the jar, a cache in HOME) fails
 * it.
 */
class ImageLayoutIT {
  static final int NONROOT = 65532;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void theJarRunsTheSamplesFromAReadOnlyFilesystem(@TempDir Path dir) throws Exception {
    try (var api = EmbeddedApiServer.start();
        var google = new SimulatedGoogle(Clock.systemUTC(), 1, Duration.ofSeconds(1))) {
      google.addServicesNamedIn(List.of(Path.of(System.getProperty("lumen.samples.dir"))));
      runTheJar(dir, api, google);
    }
  }

  private static void runTheJar(Path dir, EmbeddedApiServer api, SimulatedGoogle google)
      throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Path jar =
        Files.copy(Path.of(System.getProperty("lumen.jar")), app.resolve("lumen-operator.jar"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Path samples =
        copyTree(Path.of(System.getProperty("lumen.samples.dir")), dir.resolve("samples"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    List<String> command = new ArrayList<>();
    if (root) {
      // Root writes through any permission; the image's user does not.
      command.addAll(
          List.of("setpriv", "--reuid=" + NONROOT, "--regid=" + NONROOT, "--clear-groups", "--"));
      Files.setAttribute(tmp, "unix:uid", NONROOT);
      Files.setAttribute(tmp, "unix:gid", NONROOT);
    }
    readOnly(app);
    readOnly(home);
    readOnly(samples);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + tmp,
            // The chart's operator.javaOptions.
            "-XX:MaxRAMPercentage=70",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            jar.toString(),
            "run",
            "--cloud-run-endpoint",
            "http://" + google.cloudRunServer().endpoint(),
            "--monitoring-endpoint",
            "http://" + google.monitoringServer().endpoint(),
            "--apply",
            samples.toString(),
            "--port",
            "0",
            "--log-format",
            "json",
            "--duration",
            "0s"));

    ExternalProgram.Result run;
    var environment = new HashMap<>(EmbeddedApiServer.clientEnvironment(api.url()));
    environment.put("HOME", home.toString());
    try {
      run = ExternalProgram.run(home, TIMEOUT, command, environment);
    } finally {
      // So that JUnit can delete the directory.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Stream.of(app, home, samples).forEach(ImageLayoutIT::writable);
    }

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().lines().filter(l -> l.matches("^(SLOTarget|LumenPolicy) .*")))
        .as(run.output())
        .hasSize(5)
        .allSatisfy(line -> assertThat(line).containsPattern(" True +Accepted "));
    assertThat(run.output())
        .doesNotContain("Read-only file system")
        .doesNotContain("Permission denied")
        .doesNotContain("AccessDeniedException");
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Files.copy(path, to.resolve(from.relativize(path).toString()));
      }
    }
    return to;
  }

  private static void readOnly(Path tree) {
    permissions(tree, "r-xr-xr-x", "r--r--r--");
  }

  private static void writable(Path tree) {
    permissions(tree, "rwxr-xr-x", "rw-r--r--");
  }

  private static void permissions(Path tree, String directories, String files) {
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.toList()) {
        Files.setPosixFilePermissions(
            path, PosixFilePermissions.fromString(Files.isDirectory(path) ? directories : files));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
