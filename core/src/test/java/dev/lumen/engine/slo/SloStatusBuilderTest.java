package dev.lumen.engine.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SloStatusBuilderTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @Test
  void writesStateObjectivesBurnRatesAndConditionsKeepingReady() {
    Map<Duration, TrafficWindow> windows = new HashMap<>();
    for (Duration w :
        SloEvaluator.requiredWindows(
            SloEvaluatorTest.spec("30d", SloEvaluatorTest.availability("99.9")))) {
      windows.put(w, TrafficWindow.of(new RequestCounts(10_000, 0, 200), null));
    }
    var spec =
        SloEvaluatorTest.spec(
            "30d", SloEvaluatorTest.availability("99.9"), SloEvaluatorTest.errorRate("5"));
    var evaluation =
        new SloEvaluator().evaluate(spec, new SloObservations(windows, Map.of(), Map.of()), NOW);
    var previous = new SLOTargetStatus();
    previous.setConditions(
        List.of(
            new Condition(
                Conditions.READY,
                Condition.Status.True,
                1L,
                "2026-01-01T00:00:00Z",
                "Accepted",
                "ok")));

    var status = SloStatusBuilder.build(previous, evaluation, 2, NOW);

    assertThat(status.getState()).isEqualTo(SloState.Critical);
    assertThat(status.getCompliance()).isEqualTo("50");
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    var availability = status.getObjectives().get(0);
    assertThat(availability.current()).isEqualTo("98");
    assertThat(availability.target()).isEqualTo("99.9");
    assertThat(availability.met()).isFalse();
    assertThat(availability.errorBudgetRemaining()).isEqualTo("-1900");
    assertThat(availability.burnRates()).hasSize(4);
    assertThat(availability.burnRates().get(0).longWindow()).isEqualTo("1h");
    assertThat(availability.burnRates().get(0).threshold()).isEqualTo("14.4");
    assertThat(availability.burnRates().get(0).firing()).isTrue();
    assertThat(status.getConditions())
        .extracting(Condition::type)
        .containsExactly(
            Conditions.BUDGET_BURNING,
            Conditions.OBJECTIVES_MET,
            Conditions.READY,
            Conditions.SLI_ABSENT);
    assertThat(status.getConditions().get(3).status())
        .as("both objectives have data")
        .isEqualTo(Condition.Status.False);
    var burning = status.getConditions().get(0);
    assertThat(burning.reason()).isEqualTo("PageBurnRate");
    assertThat(burning.message())
        .startsWith("availability burns 20x over 1h and 20x over 5m (limit 14.4x, Page)");
    assertThat(status.getConditions().get(1).message())
        .isEqualTo("not met: availability (state Critical)");
    assertThat(status.getConditions().get(2).lastTransitionTime())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void noDataIsUnknownNotFailure() {
    var spec = SloEvaluatorTest.spec("28d", SloEvaluatorTest.availability("99.5"));
    var evaluation = new SloEvaluator().evaluate(spec, SloObservations.NONE, NOW);

    var status = SloStatusBuilder.build(null, evaluation, 1, NOW);

    assertThat(status.getState()).isEqualTo(SloState.NoData);
    assertThat(status.getCompliance()).isNull();
    assertThat(status.getObjectives().get(0).met()).isNull();
    assertThat(status.getConditions().get(1).status()).isEqualTo(Condition.Status.Unknown);
    assertThat(status.getConditions().get(1).reason()).isEqualTo("NoData");
    Condition absent = status.getConditions().get(2);
    assertThat(absent.type()).isEqualTo(Conditions.SLI_ABSENT);
    assertThat(absent.status()).isEqualTo(Condition.Status.True);
    assertThat(absent.message()).startsWith("no data over the window for availability: ");
  }
}
