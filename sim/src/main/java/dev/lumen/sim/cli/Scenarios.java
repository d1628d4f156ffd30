package dev.lumen.sim.cli;

import dev.lumen.sim.scenario.ScenarioFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a scenario: a file when one exists at the path, else one shipped in the jar. */
final class Scenarios {
  private Scenarios() {}

  static ScenarioFile.Loaded load(String fileOrName) {
    Path path = Path.of(fileOrName);
    return Files.exists(path) ? ScenarioFile.load(path) : ScenarioFile.builtIn(fileOrName);
  }
}
