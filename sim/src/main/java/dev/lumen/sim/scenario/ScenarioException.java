package dev.lumen.sim.scenario;

import java.util.List;

/** A scenario file that cannot be run, with every problem found, each naming its field. */
public final class ScenarioException extends RuntimeException {
  private final List<String> problems;

  public ScenarioException(String file, List<String> problems) {
    super(file + ": " + String.join("\n" + file + ": ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
