package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario example of docs/simulation.md runs as it stands: copied, it works. */
class DocsExamplesTest {
  static final Path DOC =
      Path.of(System.getProperty("lumen.samples.dir")).getParent().resolve("docs/simulation.md");

  @TempDir Path dir;

  @Test
  void theScenarioFileExampleLoadsAndItsExpectationsAreMet() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("```yaml\napiVersion: sim.lumen.dev/v1alpha1");
    assertThat(start).as("the example in " + DOC).isNotNegative();
    int end = doc.indexOf("```", start + 7);
    Path file = dir.resolve("example.yaml");
    Files.writeString(file, doc.substring(start + "```yaml\n".length(), end));

    var loaded = ScenarioFile.load(file);
    var results = Expectations.check(loaded.scenario(), Backtest.run(loaded));

    assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r.met()).as(r.toString()).isTrue());
  }
}
