package dev.lumen.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Reads the decimal strings of the API and writes measured values back as strings. */
public final class Decimals {
  private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /** Beyond this, scaled longs could overflow; such values take the slow exact path. */
  private static final double FAST_LIMIT = 1e12;

  private Decimals() {}

  /** The number a status field holds, or empty when it holds none (absent, blank or not one). */
  public static java.util.Optional<Double> tryParse(String text) {
    if (text == null || text.isEmpty()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(parse(text));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Parses a decimal string of the API; the schema has already checked its format. */
  public static double parse(String text) {
    return Double.parseDouble(text);
  }

  /**
   * The shortest decimal that reads back as {@code value}, without exponent: how Prometheus writes
   * a histogram's {@code le} bounds, so a bound written here matches its label exactly.
   */
  public static String exact(double value) {
    String text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    return text.equals("-0") ? "0" : text;
  }

  /**
   * Formats with at most {@code scale} decimals (0 to 6), rounding half up, without trailing zeros:
   * "99.5", "2036.75", "0". Runs on every decision, so it avoids BigDecimal.
   */
  public static String format(double value, int scale) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (Math.abs(value) >= FAST_LIMIT || scale < 0 || scale >= POWERS_OF_TEN.length) {
      String text =
          BigDecimal.valueOf(value)
              .setScale(scale, RoundingMode.HALF_UP)
              .stripTrailingZeros()
              .toPlainString();
      return text.equals("-0") ? "0" : text;
    }
    long power = POWERS_OF_TEN[scale];
    long scaled = Math.round(Math.abs(value) * power);
    if (scaled == 0) {
      return "0";
    }
    StringBuilder out = new StringBuilder(24);
    if (value < 0) {
      out.append('-');
    }
    out.append(scaled / power);
    long fraction = scaled % power;
    if (fraction != 0) {
      int digits = scale;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      String text = Long.toString(fraction);
      out.append('.');
      for (int i = text.length(); i < digits; i++) {
        out.append('0');
      }
      out.append(text);
    }
    return out.toString();
  }
}
