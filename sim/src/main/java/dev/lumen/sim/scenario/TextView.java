package dev.lumen.sim.scenario;

import dev.lumen.sim.scenario.Expectations.Result;
import dev.lumen.sim.scenario.Journal.Entry;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The human-readable timeline and summary of a run, for the terminal. */
public final class TextView {
  private static final int SUBJECT_WIDTH = 12;
  private static final int KIND_WIDTH = 17;

  private final PrintWriter out;
  private final Instant start;
  private final boolean color;

  /**
   * Whether the environment allows colour: not when {@code NO_COLOR} is set to anything but the
   * empty string (no-color.org).
   */
  public static boolean colorAllowed(java.util.Map<String, String> environment) {
    String noColor = environment.get("NO_COLOR");
    return noColor == null || noColor.isEmpty();
  }

  public TextView(PrintWriter out, Instant start, boolean color) {
    this.out = out;
    this.start = start;
    this.color = color;
  }

  /** "00:07 checkout Rollback reason" */
  public void entry(Entry entry) {
    String kind = pad(entry.kind(), KIND_WIDTH);
    out.println(
        ScenarioClock.format(start, entry.time())
            + "  "
            + pad(entry.subject(), SUBJECT_WIDTH)
            + " "
            + paint(kind, tone(entry.kind()))
            + " "
            + entry.text());
    out.flush();
  }

  /** A line about the run itself (not the scenario), at scenario time {@code now}. */
  public void note(Instant now, String text) {
    out.println(
        ScenarioClock.format(start, now)
            + "  "
            + pad("demo", SUBJECT_WIDTH)
            + " "
            + paint(pad("Note", KIND_WIDTH), "33")
            + " "
            + text);
    out.flush();
  }

  public void heading(Scenario scenario, String how) {
    out.println(bold(scenario.name()) + " - " + how);
    if (scenario.description() != null) {
      out.println(scenario.description().strip());
    }
    out.println();
    out.flush();
  }

  /** The expectations, one a line, and the verdict. */
  public void results(List<Result> results) {
    out.println();
    out.println(bold("Expectations"));
    for (Result r : results) {
      out.println(
          "  "
              + (r.met() ? paint("met    ", "32") : paint("NOT MET", "31"))
              + "  "
              + r.expectation()
              + ": "
              + r.seen());
    }
    boolean all = Expectations.allMet(results);
    out.println(
        all
            ? paint("All " + results.size() + " expectations met.", "32")
            : paint(
                results.stream().filter(r -> !r.met()).count()
                    + " of "
                    + results.size()
                    + " expectations not met.",
                "31"));
    out.flush();
  }

  /**
   * "[#######.............] 00:12/00:40 checkout 00001 80 % · 00002 20 %": how far the scenario is
   * and how each service's traffic is split now.
   */
  public String progress(Instant now, Instant end, Recording recording) {
    double done =
        Math.min(
            1,
            Math.max(
                0,
                (double) (now.toEpochMilli() - start.toEpochMilli())
                    / (end.toEpochMilli() - start.toEpochMilli())));
    int width = 24;
    int filled = (int) Math.round(done * width);
    StringBuilder line =
        new StringBuilder("[")
            .append("#".repeat(filled))
            .append(".".repeat(width - filled))
            .append("] ")
            .append(ScenarioClock.format(start, now))
            .append('/')
            .append(ScenarioClock.format(start, end));
    Map<String, Map<String, Integer>> splits = new TreeMap<>();
    for (var minute : recording.minutes()) {
      splits.put(minute.service().name(), minute.traffic());
    }
    splits.forEach(
        (service, split) -> {
          line.append("  ").append(service);
          new TreeMap<>(split)
              .forEach(
                  (revision, percent) -> {
                    if (percent > 0) {
                      line.append(' ')
                          .append(revision.substring(revision.lastIndexOf('-') + 1))
                          .append(' ')
                          .append(percent)
                          .append(" %");
                    }
                  });
        });
    return line.toString();
  }

  private static String tone(String kind) {
    return switch (kind) {
      case "Rollback", "RollbackAnnounced", "Fault", "ChangeFailed", "MissingData" -> "31";
      case "Promote", "Recovered", "DataBack" -> "32";
      case "Analysis", "Gate", "SloState" -> "36";
      case "Deploy" -> "35";
      default -> "33";
    };
  }

  private String bold(String text) {
    return color ? "\u001b[1m" + text + "\u001b[0m" : text;
  }

  private String paint(String text, String code) {
    return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }

  static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
