package dev.lumen.sim.scenario;

import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.sim.scenario.Journal.Entry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the resources' status, as it is seen again and again, into what changed: a new decision, a
 * new analysis, a gate or SLO state that moved. The demo feeds it what it reads from the API
 * server; the backtest what the engine returned.
 */
public final class StatusWatcher {
  private final Recording recording;
  private final Set<String> decisionsSeen = new HashSet<>();
  private final Map<String, String> lastAnalysis = new HashMap<>();
  private final Map<String, GateStatus.Result> gates = new HashMap<>();
  private final Map<String, String> sloStates = new HashMap<>();
  private final Map<String, String> sloEvaluations = new HashMap<>();

  public StatusWatcher(Recording recording) {
    this.recording = recording;
  }

  /**
   * @param seenAt when the status was read; gate changes carry no time of their own
   */
  public synchronized void policy(String name, LumenPolicyStatus status, Instant seenAt) {
    if (status == null) {
      return;
    }
    recording.policyStatus(name, status);
    var analysis = status.getRollout() == null ? null : status.getRollout().lastAnalysis();
    if (analysis != null && analysis.time() != null) {
      // The same result minute after minute (waiting for data) is told once.
      String text = describe(analysis);
      if (!text.equals(lastAnalysis.put(name, text))) {
        journal(Instant.parse(analysis.time()), name, "Analysis", text);
      }
    }
    for (GateStatus gate : status.getGates()) {
      var before = gates.put(name + "/" + gate.name(), gate.result());
      if (before != gate.result()) {
        journal(
            seenAt,
            name,
            "Gate",
            gate.name()
                + " "
                + (before == null ? "" : before + " -> ")
                + gate.result()
                + ": "
                + gate.message());
      }
    }
    List<DecisionRecord> decisions =
        Objects.requireNonNullElse(status.getRecentDecisions(), List.of());
    // Newest first in status; the journal reads oldest first.
    for (int i = decisions.size() - 1; i >= 0; i--) {
      DecisionRecord d = decisions.get(i);
      // An action and the event announcing it share time and reason: one line is enough.
      if (decisionsSeen.add(name + d.time() + d.reason())) {
        journal(
            Instant.parse(d.time()),
            name,
            d.action(),
            (Boolean.FALSE.equals(d.applied()) ? "(dry run) " : "") + d.reason());
      }
    }
  }

  public synchronized void sloTarget(String name, SLOTargetStatus status) {
    if (status == null || status.getLastEvaluationTime() == null) {
      return;
    }
    recording.sloTargetStatus(name, status);
    if (status
        .getLastEvaluationTime()
        .equals(sloEvaluations.put(name, status.getLastEvaluationTime()))) {
      return;
    }
    Instant time = Instant.parse(status.getLastEvaluationTime());
    String state = status.getState() == null ? null : status.getState().name();
    recording.slo(
        new Recording.SloReading(
            time,
            name,
            state,
            status.getCompliance() == null ? null : Double.valueOf(status.getCompliance()),
            fastestBurn(status, "Page"),
            fastestBurn(status, "Ticket")));
    String before = sloStates.put(name, state);
    if (!Objects.equals(before, state)) {
      journal(
          time,
          name,
          "SloState",
          (before == null ? "" : before + " -> ")
              + state
              + (status.getCompliance() == null
                  ? ""
                  : ", compliance " + status.getCompliance() + " %"));
    }
  }

  private void journal(Instant time, String subject, String kind, String text) {
    recording.journal().add(new Entry(time, subject, kind, text));
  }

  /**
   * "Pass (score 1, 130 canary requests)", with the checks that did not pass: "Fail (score 0.4, 118
   * canary requests): errorRate 8.5 (limit <= 1) Fail".
   */
  static String describe(AnalysisStatus analysis) {
    String checks =
        Objects.requireNonNullElse(analysis.checks(), List.<AnalysisStatus.CheckStatus>of())
            .stream()
            .filter(c -> c.verdict() != AnalysisStatus.Verdict.Pass && c.value() != null)
            .map(
                c ->
                    c.name()
                        + " "
                        + (c.value() == null ? "-" : c.value())
                        + (c.limit() == null ? "" : " (limit " + c.limit() + ")")
                        + " "
                        + c.verdict())
            .collect(Collectors.joining("; "));
    if (Long.valueOf(0).equals(analysis.canaryRequests())) {
      return analysis.verdict()
          + ": no canary requests in this step measured yet"
          + (checks.isEmpty() ? "" : "; the earlier steps': " + checks);
    }
    return analysis.verdict()
        + " (score "
        + analysis.score()
        + ", "
        + analysis.canaryRequests()
        + " canary requests)"
        + (checks.isEmpty() ? "" : ": " + checks);
  }

  private static Double fastestBurn(SLOTargetStatus status, String severity) {
    return status.getObjectives().stream()
        .map(ObjectiveStatus::burnRates)
        .filter(Objects::nonNull)
        .flatMap(List::stream)
        .filter(b -> severity.equals(b.severity()) && b.shortRate() != null)
        .map(BurnRateStatus::longRate)
        .filter(Objects::nonNull)
        .map(Double::valueOf)
        .max(Double::compare)
        .orElse(null);
  }
}
