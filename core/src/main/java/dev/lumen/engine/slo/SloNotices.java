package dev.lumen.engine.slo;

import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What people hear of an SLOTarget: from one evaluation to the next, each objective that is
 * breached or met again and each change of its fastest firing burn rate, in one message at the most
 * urgent of their severities. Nothing changed, nothing is said: a breach that lasts is told once.
 *
 * <p>An objective's {@code severity} decides: a breach, or a page burn rate, of a Critical
 * objective is critical, of a Warning objective a warning; a ticket burn rate is a warning; a
 * recovery is info.
 */
public final class SloNotices {
  private SloNotices() {}

  /**
   * A notification for people.
   *
   * @param kind e.g. StateCritical (the state changed), ObjectiveBreached, ErrorBudgetBurn,
   *     ObjectiveRecovered
   * @param text one line per objective that changed, after the state's change if there is one
   */
  public record Notice(Severity severity, String kind, String text) {}

  /** How fast an objective burns its budget: the most severe burn-rate pair that fires. */
  enum Burn {
    None,
    Ticket,
    Page
  }

  public static Optional<Notice> between(
      SLOTargetSpec spec, SLOTargetStatus previous, SLOTargetStatus next) {
    Map<String, ObjectiveStatus> before = new HashMap<>();
    if (previous != null && previous.getObjectives() != null) {
      previous.getObjectives().forEach(o -> before.put(o.name(), o));
    }
    Map<String, ObjectiveStatus> now = new HashMap<>();
    if (next.getObjectives() != null) {
      next.getObjectives().forEach(o -> now.put(o.name(), o));
    }
    List<String> lines = new ArrayList<>();
    Severity severity = Severity.Info;
    boolean breached = false;
    boolean burning = false;
    for (Objective objective : spec.objectives()) {
      ObjectiveStatus was = before.get(objective.name());
      ObjectiveStatus is = now.get(objective.name());
      if (is == null) {
        continue;
      }
      Severity breach = Severity.ofBreach(objective);
      boolean metBefore = was == null || !Boolean.FALSE.equals(was.met());
      if (metBefore && Boolean.FALSE.equals(is.met())) {
        lines.add(line(objective, is, "not met") + budget(is) + runbook(objective));
        severity = severity.max(breach);
        breached = true;
      } else if (was != null && Boolean.FALSE.equals(was.met()) && Boolean.TRUE.equals(is.met())) {
        lines.add(line(objective, is, "met again") + budget(is));
      }
      if (was != null && was.current() != null && is.current() == null) {
        lines.add(
            name(objective)
                + ": no data over the window any more (SLI absent): no requests, or the metric or"
                + " query matches nothing");
        severity = severity.max(Severity.Warning);
        breached = true;
      } else if (was != null && was.current() == null && is.current() != null) {
        lines.add(line(objective, is, "has data again"));
      }
      Burn burnBefore = burn(was);
      Burn burnNow = burn(is);
      if (burnNow.compareTo(burnBefore) > 0) {
        lines.add(
            name(objective)
                + ": burning its error budget "
                + fastest(is)
                + budget(is)
                + runbook(objective));
        severity = severity.max(burnNow == Burn.Page ? breach : Severity.Warning);
        burning = true;
      } else if (burnNow.compareTo(burnBefore) < 0) {
        lines.add(
            name(objective)
                + (burnNow == Burn.None
                    ? ": no longer burning its error budget too fast"
                    : ": burning its error budget more slowly, " + fastest(is))
                + budget(is));
      }
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    var stateBefore = previous == null ? null : previous.getState();
    boolean stateChanged = !Objects.equals(stateBefore, next.getState());
    String kind =
        stateChanged
            ? "State" + next.getState()
            : breached ? "ObjectiveBreached" : burning ? "ErrorBudgetBurn" : "ObjectiveRecovered";
    String header =
        stateChanged
            ? "state "
                + (stateBefore == null ? "(none)" : stateBefore)
                + " -> "
                + next.getState()
                + (next.getCompliance() == null
                    ? ""
                    : ", " + next.getCompliance() + " % of objectives met")
                + "\n"
            : "";
    return Optional.of(new Notice(severity, kind, header + String.join("\n", lines)));
  }

  static Burn burn(ObjectiveStatus status) {
    Burn burn = Burn.None;
    if (status == null || status.burnRates() == null) {
      return burn;
    }
    for (BurnRateStatus rate : status.burnRates()) {
      if (Boolean.TRUE.equals(rate.firing())) {
        Burn pair = "Page".equals(rate.severity()) ? Burn.Page : Burn.Ticket;
        burn = pair.compareTo(burn) > 0 ? pair : burn;
      }
    }
    return burn;
  }

  /** The most severe firing pair, e.g. "14.5x over 1h and 15.2x over 5m (limit 14.4x, page)". */
  private static String fastest(ObjectiveStatus status) {
    Burn most = burn(status);
    return status.burnRates().stream()
        .filter(r -> Boolean.TRUE.equals(r.firing()))
        .filter(r -> (most == Burn.Page) == "Page".equals(r.severity()))
        .findFirst()
        .map(
            r ->
                r.longRate()
                    + "x over "
                    + r.longWindow()
                    + " and "
                    + r.shortRate()
                    + "x over "
                    + r.shortWindow()
                    + " (limit "
                    + r.threshold()
                    + "x, "
                    + r.severity().toLowerCase(java.util.Locale.ROOT)
                    + ")")
        .orElse("");
  }

  private static String name(Objective objective) {
    return objective.description() == null || objective.description().isBlank()
        ? objective.name()
        : objective.name() + " (" + objective.description() + ")";
  }

  private static String line(Objective objective, ObjectiveStatus status, String what) {
    String unit = unit(objective);
    return name(objective)
        + ": "
        + what
        + (status.current() == null
            ? ""
            : ", measured "
                + status.current()
                + unit
                + " against "
                + bound(objective)
                + " "
                + status.target()
                + unit);
  }

  /** Which side of the target is good, as a reader expects it. */
  private static String bound(Objective objective) {
    if (objective.errorRate() != null || objective.latency() != null) {
      return "at most";
    }
    if (objective.custom() != null) {
      return "bounds";
    }
    return "at least";
  }

  private static String unit(Objective objective) {
    if (objective.latency() != null) {
      return " ms";
    }
    return objective.custom() != null ? "" : " %";
  }

  private static String budget(ObjectiveStatus status) {
    return status.errorBudgetRemaining() == null
        ? ""
        : "; error budget left " + status.errorBudgetRemaining() + " %";
  }

  private static String runbook(Objective objective) {
    return objective.runbookUrl() == null ? "" : "; runbook " + objective.runbookUrl();
  }
}
