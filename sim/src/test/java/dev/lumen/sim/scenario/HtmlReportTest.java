package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real browser: headless Chromium (Debian's package, installed by the build
 * when missing) loads it from a file, and a check script added to a copy reads back what the
 * browser's SVG engine made of every chart.
 */
class HtmlReportTest {
  static final Path OUT = Path.of("target", "report-test");

  static RunReport report;
  static String html;

  @BeforeAll
  static void render() throws IOException {
    var loaded = ScenarioFile.load(BacktestTest.SCENARIOS.resolve("regression-then-fix.yaml"));
    var recording = Backtest.run(loaded);
    report =
        RunReport.of(
            loaded, recording, Expectations.check(loaded.scenario(), recording), "backtest");
    html = HtmlReport.render(report);
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("report.html"), html, StandardCharsets.UTF_8);
  }

  @Test
  void fetchesNothingFromTheNetwork() {
    assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(html).doesNotContain("<script", "@import", "url(");
  }

  @Test
  void rendersInChromiumWithEveryPointOfEveryChart() throws Exception {
    // What the browser parsed: each series' point count, its drawn width, and any script error.
    String check =
        """
        <script>
        const errors = [];
        window.addEventListener('error', e => errors.push(String(e.message)));
        window.addEventListener('load', () => {
          const series = [...document.querySelectorAll('svg.chart polyline.series')].map(p => ({
            chart: p.closest('svg').id, name: p.dataset.series,
            points: p.points.numberOfItems, width: p.getBBox().width}));
          const markers = document.querySelectorAll('svg.chart g.marker title').length;
          const out = document.createElement('pre');
          out.id = 'render-check';
          out.textContent = JSON.stringify({series, markers, errors});
          document.body.appendChild(out);
        });
        </script>
        """;
    Path checked = OUT.resolve("report-checked.html");
    Files.writeString(checked, html.replace("</body>", check + "</body>"));

    String dom = chromium("--dump-dom", checked.toUri().toString());

    Matcher found = Pattern.compile("<pre id=\"render-check\">(.*?)</pre>").matcher(dom);
    assertThat(found.find()).as("the check ran in the browser").isTrue();
    JsonNode result = new ObjectMapper().readTree(unescape(found.group(1)));
    assertThat(result.get("errors")).isEmpty();

    var checkout = report.services().get(0);
    int minutes = checkout.minutes().size();
    assertThat(minutes).isEqualTo(40);
    List<String> revisions = List.of("checkout-00001", "checkout-00002", "checkout-00003");
    for (String revision : revisions) {
      // Traffic is drawn in steps: each value after the first adds a corner point.
      assertThat(points(result, "checkout-traffic", revision)).isEqualTo(2 * minutes - 1);
      long served =
          checkout.minutes().stream().filter(m -> m.revisions().containsKey(revision)).count();
      assertThat(points(result, "checkout-errors", revision)).isEqualTo((int) served);
      assertThat(points(result, "checkout-latency", revision)).isEqualTo((int) served);
    }
    assertThat(points(result, "checkout-errors", "checkout-00002"))
        .as("the failing canary served a few minutes")
        .isBetween(2, 6);
    for (JsonNode series : result.get("series")) {
      assertThat(series.get("width").asDouble()).as(series.toString()).isPositive();
    }
    long decisions =
        report.timeline().stream()
            .filter(e -> !List.of("Analysis", "Gate", "SloState").contains(e.kind()))
            .count();
    // Each decision and happening is marked on the service's three charts; the policy tunes
    // nothing, so there is no tuning chart.
    assertThat(html).doesNotContain("id=\"checkout-tuning\"");
    assertThat(result.get("markers").asInt()).isEqualTo(3 * (int) decisions);
  }

  @Test
  void savesAScreenshotThatIsNotBlank() throws Exception {
    Path png = OUT.resolve("report.png").toAbsolutePath();
    Files.deleteIfExists(png);

    chromium(
        "--window-size=1100,2400",
        "--hide-scrollbars",
        "--screenshot=" + png,
        OUT.resolve("report.html").toUri().toString());

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1100);
    // Charts and text make many colours; a blank or error page has a handful.
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).isGreaterThan(100);
  }

  private static int points(JsonNode result, String chart, String series) {
    for (JsonNode s : result.get("series")) {
      if (s.get("chart").asText().equals(chart) && s.get("name").asText().equals(series)) {
        return s.get("points").asInt();
      }
    }
    throw new AssertionError("no series " + series + " in chart " + chart + ": " + result);
  }

  private static String unescape(String text) {
    return text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  /** Runs headless Chromium and returns what it printed on standard output. */
  static String chromium(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("chromium").toAbsolutePath()));
    command.addAll(List.of(args));
    Path stderr = OUT.resolve("chromium.log");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(process.exitValue()).as("chromium exit; see " + stderr).isZero();
    return out;
  }
}
