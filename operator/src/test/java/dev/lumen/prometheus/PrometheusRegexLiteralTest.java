package dev.lumen.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusRegexLiteralTest {
  @Test
  void escapesRegexCharactersForADoubleQuotedPromQlString() {
    assertThat(PrometheusMetricSource.regexLiteral("projects/p/instances/cache.a+b"))
        .isEqualTo("projects/p/instances/cache\\\\.a\\\\+b");
    assertThat(PrometheusMetricSource.regexLiteral("web-api")).isEqualTo("web-api");
  }
}
