package dev.lumen.sim.scenario;

import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.sim.scenario.Scenario.Expectation;
import dev.lumen.sim.scenario.Scenario.Happening;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks a scenario's expectations against what the world served, minute by minute: what Lumen did
 * is judged by its effect on the world, not by what it says it did. A change shows in the first
 * minute served after it, so times are at most a minute late.
 */
public final class Expectations {
  /** One expectation, whether it was met, and what was seen. */
  public record Result(String expectation, boolean met, String seen) {}

  private final Scenario scenario;
  private final Recording recording;

  private Expectations(Scenario scenario, Recording recording) {
    this.scenario = scenario;
    this.recording = recording;
  }

  public static List<Result> check(Scenario scenario, Recording recording) {
    var check = new Expectations(scenario, recording);
    return scenario.expect().stream().map(check::check).toList();
  }

  public static boolean allMet(List<Result> results) {
    return results.stream().allMatch(Result::met);
  }

  private Result check(Expectation e) {
    if (e.promoted() != null) {
      return promoted(e.promoted());
    }
    if (e.rolledBack() != null) {
      return rolledBack(e.rolledBack());
    }
    if (e.noRollback() != null) {
      String service = e.noRollback().service();
      List<String> rollbacks =
          rollbacks(service).stream().map(r -> r.revision + " at " + clock(r.at)).toList();
      return new Result(
          "no rollback of " + service,
          rollbacks.isEmpty(),
          rollbacks.isEmpty() ? "none" : "rolled back " + String.join(", ", rollbacks));
    }
    if (e.noTrafficChange() != null) {
      return noTrafficChange(e.noTrafficChange());
    }
    if (e.traffic() != null) {
      var want = new TreeMap<>(TrafficSplit.withoutZeros(e.traffic().split()));
      var got =
          last(e.traffic().service())
              .map(m -> new TreeMap<>(TrafficSplit.withoutZeros(m.traffic())));
      return new Result(
          "traffic of " + e.traffic().service() + " ends at " + want,
          got.map(want::equals).orElse(false),
          got.map(Object::toString).orElse("no minute served"));
    }
    if (e.minInstances() != null) {
      return range(
          "min-instances",
          e.minInstances(),
          m -> Optional.of((double) m.minInstances()),
          Double::parseDouble,
          v -> Long.toString(Math.round(v)));
    }
    if (e.cacheTtl() != null) {
      return range(
          "cache TTL",
          e.cacheTtl(),
          m -> m.cacheTtl().map(ttl -> (double) ttl.toSeconds()),
          text -> (double) Durations.parse(text).toSeconds(),
          v -> Durations.format(Duration.ofSeconds(Math.round(v))));
    }
    if (e.objectivesMeasured() != null) {
      return objectivesMeasured(e.objectivesMeasured().sloTarget());
    }
    var slo = e.sloState();
    var status = recording.sloTargets().get(slo.sloTarget());
    String state = status == null || status.getState() == null ? "none" : status.getState().name();
    return new Result(
        "SLOTarget " + slo.sloTarget() + " ends in " + String.join(" or ", slo.in()),
        slo.in().contains(state),
        state);
  }

  private Result objectivesMeasured(String name) {
    var status = recording.sloTargets().get(name);
    List<String> unmeasured = new ArrayList<>();
    int objectives = 0;
    if (status != null && status.getObjectives() != null) {
      for (var objective : status.getObjectives()) {
        objectives++;
        if (objective.current() == null) {
          unmeasured.add(objective.name());
        }
      }
    }
    return new Result(
        "every objective of SLOTarget " + name + " measured",
        objectives > 0 && unmeasured.isEmpty(),
        objectives == 0
            ? "no objective in status"
            : unmeasured.isEmpty()
                ? objectives + " of " + objectives + " measured"
                : "no value for " + String.join(", ", unmeasured));
  }

  private Result promoted(Scenario.Promoted p) {
    Optional<Instant> at =
        recording.minutes(p.service()).stream()
            .filter(m -> m.traffic().getOrDefault(p.revision(), 0) == 100)
            .map(ServedMinute::end)
            .findFirst();
    Optional<Instant> by =
        Optional.ofNullable(p.by()).map(b -> scenario.startTime().plus(Durations.parse(b)));
    return new Result(
        p.revision() + " promoted" + (p.by() == null ? "" : " by " + p.by()),
        at.isPresent() && by.map(b -> !at.get().isAfter(b)).orElse(true),
        at.map(t -> "all traffic at " + clock(t)).orElse("never got all traffic"));
  }

  private Result rolledBack(Scenario.RolledBack r) {
    Instant fault = faultTime(r.service(), r.revision());
    Duration within = Durations.parse(r.within());
    Optional<Rollback> rollback =
        rollbacks(r.service()).stream().filter(b -> b.revision.equals(r.revision())).findFirst();
    String expectation =
        r.revision() + " rolled back within " + r.within() + " of its fault at " + clock(fault);
    if (rollback.isEmpty()) {
      return new Result(expectation, false, "not rolled back");
    }
    Duration took = Duration.between(fault, rollback.get().at);
    return new Result(
        expectation,
        !took.isNegative() && took.compareTo(within) <= 0,
        "traffic taken away at "
            + clock(rollback.get().at)
            + ", "
            + Durations.format(took)
            + " after the fault");
  }

  private Result noTrafficChange(Scenario.Window w) {
    Instant from = scenario.startTime().plus(Durations.parse(w.from()));
    Instant until = scenario.startTime().plus(Durations.parse(w.until()));
    List<String> changes = new ArrayList<>();
    Map<String, Integer> before = null;
    for (ServedMinute m : recording.minutes(w.service())) {
      var split = TrafficSplit.withoutZeros(m.traffic());
      if (before != null
          && !before.equals(split)
          && m.end().isAfter(from)
          && !m.end().isAfter(until)) {
        changes.add(clock(m.end()) + " " + split);
      }
      before = split;
    }
    return new Result(
        "traffic of " + w.service() + " unchanged from " + w.from() + " until " + w.until(),
        changes.isEmpty(),
        changes.isEmpty() ? "unchanged" : "changed: " + String.join(", ", changes));
  }

  private Result range(
      String what,
      Scenario.Range r,
      Function<ServedMinute, Optional<Double>> value,
      Function<String, Double> parse,
      Function<Double, String> format) {
    List<Double> values =
        recording.minutes(r.service()).stream().map(value).flatMap(Optional::stream).toList();
    int changes = changes(values);
    Optional<Double> end =
        values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    boolean met =
        end.isPresent()
            && (r.atLeast() == null || end.get() >= parse.apply(r.atLeast()))
            && (r.atMost() == null || end.get() <= parse.apply(r.atMost()))
            && (r.maxChanges() == null || changes <= r.maxChanges());
    List<String> bounds = new ArrayList<>();
    if (r.atLeast() != null) {
      bounds.add("at least " + r.atLeast());
    }
    if (r.atMost() != null) {
      bounds.add("at most " + r.atMost());
    }
    if (r.maxChanges() != null) {
      bounds.add("changed at most " + r.maxChanges() + " times");
    }
    return new Result(
        what + " of " + r.service() + " ends " + String.join(", ", bounds),
        met,
        end.map(
                v ->
                    format.apply(v) + " after " + changes + (changes == 1 ? " change" : " changes"))
            .orElse("never measured"));
  }

  private static int changes(List<Double> values) {
    int changes = 0;
    for (int i = 1; i < values.size(); i++) {
      changes += values.get(i).equals(values.get(i - 1)) ? 0 : 1;
    }
    return changes;
  }

  private record Rollback(String revision, Instant at) {}

  /**
   * Minutes where a revision lost all its traffic to older revisions: a canary's rollback, or a
   * promoted revision's within its watch. A promotion takes the last traffic from the old stable
   * too, but gives it to a newer revision.
   */
  private List<Rollback> rollbacks(String service) {
    List<Rollback> found = new ArrayList<>();
    Map<String, Integer> firstServed = new HashMap<>();
    Map<String, Integer> before = Map.of();
    List<ServedMinute> minutes = recording.minutes(service);
    for (int i = 0; i < minutes.size(); i++) {
      ServedMinute m = minutes.get(i);
      for (var share : m.traffic().entrySet()) {
        if (share.getValue() > 0) {
          firstServed.putIfAbsent(share.getKey(), i);
        }
      }
      for (var share : before.entrySet()) {
        String revision = share.getKey();
        int was = share.getValue();
        boolean toOlder =
            m.traffic().entrySet().stream()
                .filter(s -> s.getValue() > 0)
                .allMatch(s -> firstServed.get(s.getKey()) < firstServed.get(revision));
        if (was > 0 && m.traffic().getOrDefault(revision, 0) == 0 && toOlder) {
          found.add(new Rollback(revision, m.end()));
        }
      }
      before = m.traffic();
    }
    return found;
  }

  /**
   * When the revision went wrong: its first change of behaviour, else its deploy, else the start.
   */
  Instant faultTime(String service, String revision) {
    Instant deployed = null;
    for (Happening h : scenario.timeline()) {
      Instant at = scenario.startTime().plus(h.offset());
      if (h.behave() != null
              && matches(h.behave().service(), h.behave().revision(), service, revision)
          || h.latencyCreep() != null
              && matches(
                  h.latencyCreep().service(), h.latencyCreep().revision(), service, revision)) {
        return at;
      }
      if (h.deploy() != null
          && matches(h.deploy().service(), h.deploy().revision(), service, revision)) {
        deployed = at;
      }
    }
    return Objects.requireNonNullElse(deployed, scenario.startTime());
  }

  private static boolean matches(String s, String r, String service, String revision) {
    return s.equals(service) && r.equals(revision);
  }

  private Optional<ServedMinute> last(String service) {
    var minutes = recording.minutes(service);
    return minutes.isEmpty() ? Optional.empty() : Optional.of(minutes.get(minutes.size() - 1));
  }

  /** Scenario time, e.g. 00:07. */
  String clock(Instant time) {
    return ScenarioClock.format(scenario.startTime(), time);
  }
}
