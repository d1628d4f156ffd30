package dev.lumen.engine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of the API: Go-style sequences such as {@code 200ms}, {@code 1h30m}, and
 * whole days ({@code 28d}) for compliance windows.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException when the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long amount = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
      end = m.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\"");
    }
    return total;
  }

  /** Formats a duration the way users write it, e.g. {@code 1h30m}, {@code 200ms}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    if (hours > 0 && hours % 24 == 0 && duration.toMillis() % 86_400_000 == 0) {
      return duration.toDays() + "d";
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (duration.toMinutesPart() > 0) {
      out.append(duration.toMinutesPart()).append('m');
    }
    if (duration.toSecondsPart() > 0) {
      out.append(duration.toSecondsPart()).append('s');
    }
    if (duration.toMillisPart() > 0) {
      out.append(duration.toMillisPart()).append("ms");
    }
    return out.toString();
  }
}
