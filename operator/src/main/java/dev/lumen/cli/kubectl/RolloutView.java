package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.canary.StableHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One policy's rollout at a glance, for {@code kubectl lumen get}: revisions and weights, phase and
 * step, the last analysis with each check, gates, a pending rollback with its deadline, and the
 * recent decisions. Times are shown in the given zone, ages against the given instant.
 */
final class RolloutView {
  private static final int RECENT_DECISIONS = 5;
  private final ZoneId zone;
  private final Instant now;

  RolloutView(ZoneId zone, Instant now) {
    this.zone = zone;
    this.now = now;
  }

  static int stepCount(LumenPolicy policy) {
    var rollout = policy.getSpec() == null ? null : policy.getSpec().rollout();
    return rollout == null || rollout.steps() == null ? 0 : rollout.steps().size();
  }

  String render(LumenPolicy policy) {
    List<String> lines = new ArrayList<>();
    var meta = policy.getMetadata();
    var spec = policy.getSpec();
    LumenPolicyStatus status = policy.getStatus();
    line(lines, "Name", meta.getName() + " (namespace " + meta.getNamespace() + ")");
    if (spec != null && spec.service() != null && spec.service().cloudRun() != null) {
      var run = spec.service().cloudRun();
      line(lines, "Service", run.project() + "/" + run.region() + "/" + run.name());
    }
    line(lines, "Mode", spec == null || spec.mode() == null ? "Enforce" : spec.mode().name());
    if (status == null || status.getObservedGeneration() == null) {
      line(lines, "Status", "not evaluated yet");
      return String.join("\n", lines) + "\n";
    }
    ConditionList.find(status.getConditions(), Conditions.READY)
        .ifPresent(c -> line(lines, "Ready", c.status() + " " + c.reason() + ": " + c.message()));
    String phase = status.getPhase() == null ? "-" : status.getPhase().name();
    if (status.getCanaryRevision() != null && status.getStep() != null) {
      phase +=
          ", step "
              + (status.getStep() + 1)
              + " of "
              + stepCount(policy)
              + since(status.getStepStartTime());
    }
    line(lines, "Phase", phase);
    line(lines, "Traffic", traffic(status));
    RolloutStatus rollout = status.getRollout();
    if (rollout != null) {
      if (rollout.pendingRollback() != null) {
        var pending = rollout.pendingRollback();
        line(
            lines,
            "Rollback",
            "pending, executes after "
                + time(pending.executeAfter())
                + in(pending.executeAfter())
                + ": "
                + pending.reason()
                + (Boolean.TRUE.equals(rollout.held()) ? " (held by a person)" : ""));
      } else if (Boolean.TRUE.equals(rollout.held())) {
        line(lines, "Rollback", "automatic rollbacks held by a person (kubectl lumen release)");
      }
      if (rollout.failedRevision() != null) {
        line(lines, "Failed", rollout.failedRevision() + " (kubectl lumen retry allows it again)");
      }
      if (rollout.pausedReason() != null && !rollout.pausedReason().isEmpty()) {
        line(lines, "Paused", rollout.pausedReason());
      }
      if (rollout.blockedBy() != null && !rollout.blockedBy().isEmpty()) {
        line(lines, "Blocked", rollout.blockedBy());
      }
      if (rollout.watch() != null) {
        line(
            lines,
            "Watching",
            rollout.watch().revision()
                + " until "
                + time(rollout.watch().endTime())
                + "; a breach rolls back to "
                + rollout.watch().previousRevision());
      }
      if (status.getCanaryRevision() != null && rollout.guarantee() != null) {
        var guarantee = rollout.guarantee();
        line(
            lines,
            "Catches",
            "errors "
                + dash(guarantee.errorRate())
                + ", latency "
                + dash(guarantee.latency())
                + " by the last step"
                + (Boolean.FALSE.equals(guarantee.reachable())
                    ? " (short of mustCatch: the last step holds longer)"
                    : ""));
      }
      if (status.getCanaryRevision() != null && rollout.stableHistory() != null) {
        boolean wanted = spec != null && !StableHistory.wanted(spec.rollout()).isZero();
        line(lines, "History", history(rollout.stableHistory(), wanted));
      }
      if (status.getCanaryRevision() != null || rollout.watch() != null) {
        // Afterwards it describes a rollout that is over; the decisions say how it ended.
        analysis(lines, rollout.lastAnalysis());
      }
    }
    gates(lines, status.getGates());
    decisions(lines, status.getRecentDecisions());
    return String.join("\n", lines) + "\n";
  }

  private static String traffic(LumenPolicyStatus status) {
    String stable = status.getStableRevision();
    String canary = status.getCanaryRevision();
    if (canary == null) {
      return stable == null ? "-" : stable + " (stable) 100 %";
    }
    int weight = status.getCanaryWeight() == null ? 0 : status.getCanaryWeight();
    return canary + " (canary) " + weight + " %, " + stable + " (stable) " + (100 - weight) + " %";
  }

  private void analysis(List<String> lines, AnalysisStatus analysis) {
    if (analysis == null) {
      return;
    }
    line(
        lines,
        "Analysis",
        analysis.verdict()
            + " at "
            + time(analysis.time())
            + (analysis.canaryRequests() == null
                ? ""
                : ", " + analysis.canaryRequests() + " canary requests"));
    if (analysis.checks() == null || analysis.checks().isEmpty()) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CHECK", "VALUE", "LIMIT", "VERDICT"});
    for (AnalysisStatus.CheckStatus check : analysis.checks()) {
      rows.add(
          new String[] {
            check.name(), dash(check.value()), dash(check.limit()), String.valueOf(check.verdict())
          });
    }
    table(lines, rows);
  }

  private static void gates(List<String> lines, List<GateStatus> gates) {
    if (gates == null || gates.isEmpty()) {
      return;
    }
    lines.add("Gates:");
    List<String[]> rows = new ArrayList<>();
    for (GateStatus gate : gates) {
      rows.add(new String[] {gate.name(), String.valueOf(gate.result()), dash(gate.message())});
    }
    table(lines, rows);
  }

  private void decisions(List<String> lines, List<DecisionRecord> decisions) {
    if (decisions == null || decisions.isEmpty()) {
      return;
    }
    lines.add("Recent decisions:");
    List<String[]> rows = new ArrayList<>();
    // Newest first, as status keeps them.
    for (DecisionRecord decision :
        decisions.subList(0, Math.min(RECENT_DECISIONS, decisions.size()))) {
      rows.add(
          new String[] {
            time(decision.time()),
            decision.action() + (Boolean.FALSE.equals(decision.applied()) ? " (not applied)" : ""),
            dash(decision.reason())
          });
    }
    table(lines, rows);
  }

  private static void table(List<String> lines, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder text = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        text.append(i < columns - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
      }
      lines.add(text.toString().stripTrailing());
    }
  }

  /** Stable's requests before the rollout the promotion counts (analysis.stableHistory). */
  private static String history(RolloutStatus.StableHistoryStatus history, boolean wanted) {
    if (history.setAside() != null && !history.setAside().isEmpty()) {
      return "set aside: " + history.setAside();
    }
    if (!wanted) {
      return "not counted: spec.rollout.analysis.stableHistory is now 0s";
    }
    var counts = history.requests();
    long requests = counts == null || counts.requests() == null ? 0 : counts.requests();
    long failed = counts == null || counts.serverErrors() == null ? 0 : counts.serverErrors();
    String window;
    try {
      window =
          Durations.format(
              Duration.between(
                  Instant.parse(history.startTime()), Instant.parse(history.endTime())));
    } catch (DateTimeParseException | NullPointerException e) {
      window = "window";
    }
    return "stable "
        + dash(history.revision())
        + "'s "
        + requests
        + " requests in the "
        + window
        + " before ("
        + Decimals.format(requests == 0 ? 0 : 100.0 * failed / requests, 3)
        + " % 5xx) count in the promotion";
  }

  private static void line(List<String> lines, String label, String value) {
    lines.add(String.format("%-10s%s", label + ":", value));
  }

  private static String dash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }

  private String time(String instant) {
    try {
      return DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone).format(Instant.parse(instant));
    } catch (DateTimeParseException | NullPointerException e) {
      return dash(instant);
    }
  }

  private String since(String instant) {
    try {
      Duration ago = Duration.between(Instant.parse(instant), now);
      // A clock far from the cluster's (such as a demo's scenario clock) makes an age meaningless.
      return " since " + time(instant) + (plausible(ago) ? " (" + human(ago) + " ago)" : "");
    } catch (DateTimeParseException | NullPointerException e) {
      return "";
    }
  }

  private String in(String instant) {
    try {
      Duration left = Duration.between(now, Instant.parse(instant));
      if (!plausible(left)) {
        return "";
      }
      return left.isNegative() ? " (due)" : " (in " + human(left) + ")";
    } catch (DateTimeParseException | NullPointerException e) {
      return "";
    }
  }

  private static boolean plausible(Duration d) {
    return d.abs().compareTo(Duration.ofDays(1)) < 0;
  }

  private static String human(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    return seconds < 120
        ? seconds + "s"
        : seconds < 7200 ? seconds / 60 + "m" : seconds / 3600 + "h";
  }
}
