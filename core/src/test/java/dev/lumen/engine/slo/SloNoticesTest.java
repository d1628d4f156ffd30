package dev.lumen.engine.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.AvailabilityObjective;
import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LatencyObjective;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.ServiceReference;
import dev.lumen.engine.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloNoticesTest {
  static final Objective AVAILABILITY =
      new Objective(
          "availability",
          "Checkout requests succeed",
          Objective.Severity.Critical,
          "https://runbooks.example.com/checkout",
          new AvailabilityObjective("99.5"),
          null,
          null,
          null,
          null);
  static final Objective LATENCY =
      new Objective(
          "latency",
          null,
          Objective.Severity.Warning,
          null,
          null,
          new LatencyObjective(95, "300ms"),
          null,
          null,
          null);
  static final SLOTargetSpec SPEC =
      new SLOTargetSpec(
          new ServiceReference(new CloudRunServiceReference("shop", "europe-west1", "checkout")),
          null,
          "28d",
          "1m",
          List.of(AVAILABILITY, LATENCY),
          null);

  @Test
  void aCriticalObjectiveBreachedIsCriticalWithItsDescriptionFiguresAndRunbook() {
    var notice =
        SloNotices.between(
                SPEC,
                status(
                    SloState.Healthy,
                    met("availability", "99.9", true),
                    met("latency", "120", true)),
                status(
                    SloState.Warning,
                    met("availability", "98.2", false),
                    met("latency", "120", true)))
            .orElseThrow();

    assertThat(notice.severity()).isEqualTo(Severity.Critical);
    assertThat(notice.kind()).isEqualTo("StateWarning");
    assertThat(notice.text())
        .isEqualTo(
            "state Healthy -> Warning, 50.0 % of objectives met\n"
                + "availability (Checkout requests succeed): not met, measured 98.2 % against at"
                + " least 99.5 %; error budget left -12 %; runbook"
                + " https://runbooks.example.com/checkout");
  }

  @Test
  void aBreachThatLastsIsToldOnceAndItsRecoveryOnceAsInfo() {
    var breached =
        status(SloState.Warning, met("availability", "98.2", false), met("latency", "120", true));
    assertThat(SloNotices.between(SPEC, breached, breached)).isEmpty();

    var recovered =
        SloNotices.between(
                SPEC,
                breached,
                status(
                    SloState.Healthy,
                    met("availability", "99.8", true),
                    met("latency", "120", true)))
            .orElseThrow();
    assertThat(recovered.severity()).isEqualTo(Severity.Info);
    assertThat(recovered.kind()).isEqualTo("StateHealthy");
    assertThat(recovered.text())
        .endsWith(
            "availability (Checkout requests succeed): met again, measured 99.8 % against"
                + " at least 99.5 %; error budget left -12 %");
  }

  @Test
  void aWarningObjectiveIsAWarningAndATicketBurnRateIsAWarningWhateverTheObjective() {
    var healthy =
        status(SloState.Healthy, met("availability", "99.9", true), met("latency", "120", true));
    var slow =
        SloNotices.between(
                SPEC,
                healthy,
                status(
                    SloState.Warning,
                    met("availability", "99.9", true),
                    met("latency", "450", false)))
            .orElseThrow();
    assertThat(slow.severity()).isEqualTo(Severity.Warning);
    assertThat(slow.text()).contains("latency: not met, measured 450 ms against at most 300 ms");

    var ticket =
        SloNotices.between(
                SPEC,
                healthy,
                status(
                    SloState.Healthy,
                    burning("availability", "Ticket"),
                    met("latency", "120", true)))
            .orElseThrow();
    assertThat(ticket.severity()).isEqualTo(Severity.Warning);
    assertThat(ticket.kind()).isEqualTo("ErrorBudgetBurn");

    var page =
        SloNotices.between(
                SPEC,
                status(
                    SloState.Healthy,
                    burning("availability", "Ticket"),
                    met("latency", "120", true)),
                status(
                    SloState.Healthy, burning("availability", "Page"), met("latency", "120", true)))
            .orElseThrow();
    assertThat(page.severity())
        .as("a page burn rate of a Critical objective")
        .isEqualTo(Severity.Critical);
    assertThat(page.text())
        .contains(
            "availability (Checkout requests succeed): burning its error budget 15.0x over 1h"
                + " and 16.0x over 5m (limit 14.4x, page)");
  }

  static SLOTargetStatus status(SloState state, ObjectiveStatus... objectives) {
    var status = new SLOTargetStatus();
    status.setState(state);
    long met =
        java.util.Arrays.stream(objectives).filter(o -> Boolean.TRUE.equals(o.met())).count();
    status.setCompliance(
        String.format(java.util.Locale.ROOT, "%.1f", 100.0 * met / objectives.length));
    status.setObjectives(List.of(objectives));
    return status;
  }

  static ObjectiveStatus met(String name, String current, boolean met) {
    String target = name.equals("latency") ? "300" : "99.5";
    return new ObjectiveStatus(name, current, target, met, "-12", List.of(), null);
  }

  static ObjectiveStatus burning(String name, String severity) {
    return new ObjectiveStatus(
        name,
        "99.6",
        "99.5",
        true,
        "40",
        List.of(new BurnRateStatus("1h", "5m", "15.0", "16.0", "14.4", severity, true)),
        null);
  }
}
