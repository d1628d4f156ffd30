package dev.lumen.cli;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.ConditionList;
import java.util.List;

/**
 * What {@code lumen check} says of one resource: the exit code its state stands for, the state
 * itself and a line of why.
 *
 * @param code 0 healthy (SLOTarget Healthy, policy Excellent or Good), 1 warning (Warning, Fair), 2
 *     critical (Critical, Poor), 3 could not be evaluated (no status yet, an old generation, not
 *     Ready, no data)
 */
record Verdict(String kind, String namespace, String name, int code, String state, String detail) {
  static final int HEALTHY = 0;
  static final int WARNING = 1;
  static final int CRITICAL = 2;
  static final int UNKNOWN = 3;

  /** The label of an exit code, as the table and --json show it. */
  static String label(int code) {
    return switch (code) {
      case HEALTHY -> "healthy";
      case WARNING -> "warning";
      case CRITICAL -> "critical";
      default -> "unknown";
    };
  }

  static Verdict of(SLOTarget target) {
    String ns = target.getMetadata().getNamespace();
    String name = target.getMetadata().getName();
    SLOTargetStatus status = target.getStatus();
    var unevaluated =
        unevaluated(
            status == null ? null : status.getObservedGeneration(),
            target.getMetadata().getGeneration(),
            status == null ? null : status.getConditions());
    if (unevaluated != null) {
      return new Verdict("SLOTarget", ns, name, UNKNOWN, "-", unevaluated);
    }
    return ofStatus(ns, name, status);
  }

  /** An SLOTarget's status as evaluated, by the operator or by {@code check --slo}. */
  static Verdict ofStatus(String namespace, String name, SLOTargetStatus status) {
    var state = status.getState();
    int code =
        state == null
            ? UNKNOWN
            : switch (state) {
              case Healthy -> HEALTHY;
              case Warning -> WARNING;
              case Critical -> CRITICAL;
              case NoData -> UNKNOWN;
            };
    List<String> missed =
        status.getObjectives() == null
            ? List.of()
            : status.getObjectives().stream()
                .filter(o -> Boolean.FALSE.equals(o.met()))
                .map(Verdict::missed)
                .toList();
    String detail =
        state == SLOTargetStatus.SloState.NoData || state == null
            ? "no objective has data yet"
            : status.getCompliance()
                + " % of objectives met"
                + (missed.isEmpty() ? "" : "; not met: " + String.join(", ", missed));
    return new Verdict(
        "SLOTarget", namespace, name, code, state == null ? "-" : state.name(), detail);
  }

  static Verdict of(LumenPolicy policy) {
    String ns = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    var status = policy.getStatus();
    var unevaluated =
        unevaluated(
            status == null ? null : status.getObservedGeneration(),
            policy.getMetadata().getGeneration(),
            status == null ? null : status.getConditions());
    if (unevaluated != null) {
      return new Verdict("LumenPolicy", ns, name, UNKNOWN, "-", unevaluated);
    }
    var degraded = find(status.getConditions(), Conditions.DEGRADED);
    boolean isDegraded = degraded != null && degraded.status() == Condition.Status.True;
    String because = isDegraded ? "; Degraded: " + degraded.message() : "";
    if (status.getHealth() == null) {
      // No gate measures anything yet: only the conditions can say how it is.
      return new Verdict(
          "LumenPolicy",
          ns,
          name,
          isDegraded ? CRITICAL : HEALTHY,
          isDegraded ? "Degraded" : "-",
          "no health score (no gate has measured yet)" + because);
    }
    String grade = status.getHealth().grade().name();
    int code =
        switch (status.getHealth().grade()) {
          case Excellent, Good -> HEALTHY;
          case Fair -> WARNING;
          case Poor -> CRITICAL;
        };
    return new Verdict(
        "LumenPolicy",
        ns,
        name,
        code,
        grade,
        "health " + status.getHealth().score() + " of 100" + because);
  }

  /** Why a status says nothing yet about the resource, or null when it does. */
  private static String unevaluated(
      Long observedGeneration, Long generation, List<Condition> conditions) {
    if (observedGeneration == null) {
      return "not evaluated yet (no status)";
    }
    if (generation != null && observedGeneration < generation) {
      return "not evaluated yet: status is of generation "
          + observedGeneration
          + ", the spec is at "
          + generation;
    }
    Condition ready = find(conditions, Conditions.READY);
    if (ready == null || ready.status() != Condition.Status.True) {
      return ready == null
          ? "no Ready condition"
          : "not Ready: " + ready.reason() + ": " + ready.message();
    }
    return null;
  }

  private static Condition find(List<Condition> conditions, String type) {
    return ConditionList.find(conditions, type).orElse(null);
  }

  private static String missed(ObjectiveStatus o) {
    return o.name() + " (" + o.current() + " against " + o.target() + ")";
  }
}
