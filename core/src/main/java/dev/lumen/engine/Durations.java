package dev.lumen.engine;

import java.time.Duration;

/**
 * Parses the durations of the API: Go-style sequences such as {@code 200ms}, {@code 1h30m}, and
 * whole days ({@code 28d}) for compliance windows.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException when the text is not a duration, or one too long to count
   */
  public static Duration parse(String text) {
    try {
      return parseExact(text);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration too long: \"" + text + "\"", e);
    }
  }

  private static Duration parseExact(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    long millis = 0;
    int i = 0;
    int length = text.length();
    while (i < length) {
      int start = i;
      long amount = 0;
      while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        amount = Math.multiplyExact(amount, 10) + (text.charAt(i) - '0');
        i++;
      }
      if (i == start || i == length) {
        throw new IllegalArgumentException("not a duration: \"" + text + "\"");
      }
      char unit = text.charAt(i++);
      long factor;
      if (unit == 'm' && i < length && text.charAt(i) == 's') {
        i++;
        factor = 1;
      } else {
        factor =
            switch (unit) {
              case 's' -> 1_000L;
              case 'm' -> 60_000L;
              case 'h' -> 3_600_000L;
              case 'd' -> 86_400_000L;
              default -> throw new IllegalArgumentException("not a duration: \"" + text + "\"");
            };
      }
      millis = Math.addExact(millis, Math.multiplyExact(amount, factor));
    }
    return Duration.ofMillis(millis);
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
