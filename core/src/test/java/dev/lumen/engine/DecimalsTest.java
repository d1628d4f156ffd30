package dev.lumen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalsTest {
  @ParameterizedTest(name = "{0} with {1} decimals -> {2}")
  @CsvSource({
    "2036.752136752, 2, 2036.75",
    "99.5, 3, 99.5",
    "100.0, 1, 100",
    "0.0004, 3, 0",
    "-0.0004, 3, 0",
    "-12.345, 2, -12.35",
    "0.125, 2, 0.13",
    "0.05, 2, 0.05",
    "1e13, 2, 10000000000000",
    "85.71428571, 1, 85.7"
  })
  void formatsWithoutTrailingZeros(double value, int scale, String expected) {
    assertThat(Decimals.format(value, scale)).isEqualTo(expected);
  }

  @Test
  void agreesWithBigDecimalRoundingOnRandomValues() {
    var random = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(9));
      int scale = random.nextInt(4);
      String exact =
          new BigDecimal(value)
              .setScale(scale, RoundingMode.HALF_UP)
              .stripTrailingZeros()
              .toPlainString();
      if (exact.equals("-0")) {
        exact = "0";
      }
      assertThat(Decimals.format(value, scale)).as("%s at scale %d", value, scale).isEqualTo(exact);
    }
  }
}
