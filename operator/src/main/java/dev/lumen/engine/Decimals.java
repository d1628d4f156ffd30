package dev.lumen.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Reads the decimal strings of the API and writes measured values back as strings. */
public final class Decimals {
  private Decimals() {}

  public static double parse(String text) {
    return new BigDecimal(text).doubleValue();
  }

  /** Formats with at most {@code scale} decimals, without trailing zeros ("99.5", "2036.75"). */
  public static String format(double value, int scale) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
    String text = rounded.stripTrailingZeros().toPlainString();
    return text.equals("-0") ? "0" : text;
  }
}
