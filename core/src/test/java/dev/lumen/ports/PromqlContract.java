package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.engine.measure.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every MetricSource must do with a custom objective's PromQL; run against the fake, a real
 * Prometheus and the Cloud Monitoring client over the loopback fake of its Prometheus API.
 */
public abstract class PromqlContract {
  protected abstract MetricSource port();

  /** The project whose metrics the queries read. */
  protected String project() {
    return "shop";
  }

  /** A query describing one series whose value is {@link #singleSeriesValue()}. */
  protected abstract String singleSeriesQuery();

  protected abstract double singleSeriesValue();

  /** A query describing several series. */
  protected abstract String multiSeriesQuery();

  /** A query that is not valid. */
  protected abstract String malformedQuery();

  /** A source whose server cannot be reached. */
  protected abstract MetricSource unreachable();

  protected Instant now() {
    return Instant.now();
  }

  @Test
  void aQueryForOneSeriesReturnsItsSamplesInTheWindow() {
    Instant end = now();
    List<Sample> samples =
        port()
            .promqlSeries(
                project(), singleSeriesQuery(), end.minusSeconds(20), end, Duration.ofSeconds(1));

    assertThat(samples).isNotEmpty();
    assertThat(samples)
        .allSatisfy(
            s -> {
              assertThat(s.value()).isEqualTo(singleSeriesValue());
              assertThat(s.time()).isBetween(end.minusSeconds(21), end.plusSeconds(1));
            });
  }

  @Test
  void aQueryWithoutSeriesIsNoData() {
    Instant end = now();

    assertThat(
            port()
                .promqlSeries(
                    project(),
                    "lumen_contract_metric_that_does_not_exist",
                    end.minusSeconds(20),
                    end,
                    Duration.ofSeconds(1)))
        .isEmpty();
  }

  @Test
  void aQueryForSeveralSeriesIsAPermanentFailureThatSaysHowToFixIt() {
    Instant end = now();

    assertThatThrownBy(
            () ->
                port()
                    .promqlSeries(
                        project(),
                        multiSeriesQuery(),
                        end.minusSeconds(20),
                        end,
                        Duration.ofSeconds(1)))
        .isInstanceOf(PortException.class)
        .hasMessageContaining("aggregate it")
        .matches(e -> !((PortException) e).isTransient());
  }

  @Test
  void aMalformedQueryIsAPermanentFailure() {
    Instant end = now();

    assertThatThrownBy(
            () ->
                port()
                    .promqlSeries(
                        project(),
                        malformedQuery(),
                        end.minusSeconds(20),
                        end,
                        Duration.ofSeconds(1)))
        .isInstanceOf(PortException.class)
        .matches(e -> !((PortException) e).isTransient());
  }

  @Test
  void anUnreachableServerIsATransientFailure() {
    Instant end = now();

    assertThatThrownBy(
            () ->
                unreachable()
                    .promqlSeries(
                        project(),
                        singleSeriesQuery(),
                        end.minusSeconds(20),
                        end,
                        Duration.ofSeconds(1)))
        .isInstanceOf(PortException.class)
        .matches(e -> ((PortException) e).isTransient());
  }
}
