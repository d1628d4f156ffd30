package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.BudgetStatus;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.HealthStatus;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.MaturityStatus;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutStatus.PendingRollbackStatus;
import dev.lumen.api.v1alpha1.TuningStatus;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.Severity;
import dev.lumen.engine.canary.CanaryAnalyzer;
import dev.lumen.engine.gate.BudgetEvaluation;
import dev.lumen.engine.gate.GateResult;
import dev.lumen.engine.gate.Health;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.gate.Pricing;
import dev.lumen.engine.gate.RoiCalculator;
import dev.lumen.engine.gate.SloGateEvaluator;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.engine.tuning.CacheTtlTuner;
import dev.lumen.engine.tuning.MinInstancesTuner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision for one LumenPolicy: gates, the rollout, budget notices, the tuning loops, the
 * conditions and the recent decisions, from the spec, the last status, the observations and the
 * time. A pure function: the same inputs always give the same decision.
 */
public final class PolicyEngine {
  static final int RECENT_DECISIONS = 10;

  private final CanaryAnalyzer analyzer = new CanaryAnalyzer();

  /** Whether the policy's decisions are made, not only reported: every mode but DryRun. */
  public static boolean enforces(LumenPolicySpec spec) {
    return spec.mode() != LumenPolicySpec.Mode.DryRun;
  }

  public Decision decide(
      LumenPolicySpec spec,
      LumenPolicyStatus previous,
      long generation,
      PolicyObservations observed,
      Set<Command> commands,
      Instant now) {
    boolean enforced = enforces(spec);
    LumenPolicyStatus status = copyOf(previous);
    List<Action> actions = new ArrayList<>();
    Set<Command> consumed = EnumSet.noneOf(Command.class);

    Gates gates = evaluateGates(spec, observed, now);
    status.setGates(gates.all().stream().map(GateResult::toStatus).toList());
    status.setHealth(
        gates
            .health()
            .map(h -> new HealthStatus(Decimals.format(h.score(), 1), h.grade()))
            .orElse(null));
    status.setMaturity(
        gates
            .maturity()
            .map(
                m ->
                    new MaturityStatus(
                        Decimals.format(m.score(), 1),
                        m.level(),
                        m.levelName(),
                        m.measures().stream()
                            .map(
                                x ->
                                    new MaturityStatus.MeasureStatus(
                                        x.name(),
                                        Decimals.format(x.value(), 3),
                                        Decimals.format(x.score(), 1)))
                            .toList()))
            .orElse(null));
    status.setRoi(
        gates.roi().flatMap(GateResult::value).map(v -> Decimals.format(v, 2)).orElse(null));

    if (spec.rollout() != null) {
      var machine =
          new RolloutMachine(
              spec.rollout(), enforced, observed, acting(spec, gates), analyzer, now, previous);
      machine.run(commands);
      machine.writeTo(status);
      actions.addAll(machine.actions());
      consumed.addAll(machine.consumed());
    } else {
      for (Command command : commands) {
        consumed.add(command);
        actions.add(
            new Action.Event(
                false, "NoRollout", command.annotation() + " ignored: the policy has no rollout"));
      }
    }
    gates.budget().ifPresent(b -> actions.addAll(budgetNotices(spec, previous, b, status)));
    actions.addAll(tune(spec, enforced, previous, observed, gates, now, status));
    setConditions(
        status,
        gates,
        enforced ? Optional.empty() : Optional.of(observed.service().traffic()),
        generation,
        now);
    status.setRecentDecisions(recentDecisions(previous, actions, enforced, now));
    status.setObservedGeneration(generation);
    return new Decision(List.copyOf(actions), status, enforced, consumed);
  }

  /** Gate results, and the figures behind them. */
  record Gates(
      Optional<GateResult> slo,
      Optional<GateResult> roi,
      Optional<BudgetEvaluation> budget,
      Optional<GateResult> budgetUnknown,
      Optional<GateResult> maturityGate,
      Optional<MaturityScore> maturity,
      Optional<Health> health) {
    List<GateResult> all() {
      List<GateResult> all = new ArrayList<>();
      slo.ifPresent(all::add);
      roi.ifPresent(all::add);
      budget.map(BudgetEvaluation::gate).or(() -> budgetUnknown).ifPresent(all::add);
      maturityGate.ifPresent(all::add);
      return all;
    }
  }

  /**
   * The gates with what Lumen does while each fails: the gate's {@code action}, or its default
   * (Block for slo and maturity; for roi and budget Rollback, or Notify where the older
   * rollback.triggers.onRoiFail / onBudgetExceeded turn it off).
   */
  static List<ActingGate> acting(LumenPolicySpec spec, Gates gates) {
    GatesSpec g = spec.gates() == null ? new GatesSpec(null, null, null, null) : spec.gates();
    var triggers =
        spec.rollout() == null || spec.rollout().rollback() == null
            ? null
            : spec.rollout().rollback().triggers();
    List<ActingGate> acting = new ArrayList<>();
    gates.slo().ifPresent(r -> acting.add(new ActingGate(r, releaseGate(g.slo().action()))));
    gates
        .roi()
        .ifPresent(
            r ->
                acting.add(
                    new ActingGate(
                        r,
                        costGate(
                            g.roi().action(), triggers == null ? null : triggers.onRoiFail()))));
    gates
        .budget()
        .map(BudgetEvaluation::gate)
        .ifPresent(
            r ->
                acting.add(
                    new ActingGate(
                        r,
                        costGate(
                            g.budget().action(),
                            triggers == null ? null : triggers.onBudgetExceeded()))));
    gates
        .maturityGate()
        .ifPresent(r -> acting.add(new ActingGate(r, releaseGate(g.maturity().action()))));
    return acting;
  }

  /** A release gate (slo, maturity) blocks unless told otherwise. */
  private static GateAction releaseGate(GateAction action) {
    return action != null ? action : GateAction.Block;
  }

  /** A cost gate (roi, budget) rolls back unless told otherwise, or its old trigger is off. */
  private static GateAction costGate(GateAction action, Boolean oldTrigger) {
    if (action != null) {
      return action;
    }
    return Boolean.FALSE.equals(oldTrigger) ? GateAction.Notify : GateAction.Rollback;
  }

  private Gates evaluateGates(LumenPolicySpec spec, PolicyObservations observed, Instant now) {
    GatesSpec g = spec.gates() == null ? new GatesSpec(null, null, null, null) : spec.gates();
    List<String> names = spec.sloTargets() == null ? List.of() : spec.sloTargets();
    var states =
        observed.sloTargets().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().state()));
    Optional<GateResult> slo =
        Optional.ofNullable(g.slo())
            .map(
                s ->
                    SloGateEvaluator.evaluate(
                        s,
                        names,
                        states,
                        observed.sloTargets().entrySet().stream()
                            .collect(
                                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().budgets()))));
    Optional<GateResult> roi =
        Optional.ofNullable(g.roi())
            .map(r -> RoiCalculator.gate(r, observed.cache(), observed.cacheWindow()));
    Optional<BudgetEvaluation> budget =
        Optional.ofNullable(g.budget())
            .flatMap(
                b ->
                    observed
                        .cost()
                        .map(
                            c ->
                                BudgetEvaluation.evaluate(
                                    b, c, Pricing.of(b), cacheMonthlyCost(spec), now)));
    Optional<GateResult> budgetUnknown =
        g.budget() != null && budget.isEmpty()
            ? Optional.of(GateResult.unknown(BudgetEvaluation.GATE, "no usage measured yet"))
            : Optional.empty();
    Optional<MaturityScore> maturity = MaturityScore.of(observed.maturity());
    Optional<GateResult> maturityGate =
        Optional.ofNullable(g.maturity()).map(m -> MaturityScore.gate(m, maturity));
    Optional<Double> compliance =
        names.stream()
            .map(n -> observed.sloTargets().get(n))
            .filter(s -> s != null && s.compliance().isPresent())
            .mapToDouble(s -> s.compliance().get())
            .average()
            .stream()
            .boxed()
            .findFirst();
    Optional<Health> health =
        Health.of(maturity.map(MaturityScore::score), roi.flatMap(GateResult::value), compliance);
    return new Gates(slo, roi, budget, budgetUnknown, maturityGate, maturity, health);
  }

  /** What the cache itself costs a month, when the policy names it with a cost. */
  private static Optional<Double> cacheMonthlyCost(LumenPolicySpec spec) {
    return Optional.ofNullable(spec.cache()).map(c -> c.monthlyCost()).map(Decimals::parse);
  }

  /** Each threshold is announced once per month. */
  private static List<Action> budgetNotices(
      LumenPolicySpec spec,
      LumenPolicyStatus previous,
      BudgetEvaluation budget,
      LumenPolicyStatus status) {
    String month = budget.month().toString();
    List<String> notified = new ArrayList<>();
    if (previous.getBudget() != null
        && month.equals(previous.getBudget().month())
        && previous.getBudget().notifiedThresholds() != null) {
      notified.addAll(previous.getBudget().notifiedThresholds());
    }
    List<Action> actions = new ArrayList<>();
    for (String threshold : budget.crossedThresholds()) {
      if (!notified.contains(threshold)) {
        notified.add(threshold);
        Severity severity = Decimals.parse(threshold) >= 100 ? Severity.Critical : Severity.Warning;
        String text = "budget threshold " + threshold + " % reached: " + budget.gate().message();
        actions.add(
            new Action.Event(severity == Severity.Critical, "BudgetThresholdReached", text));
        actions.add(new Action.Notify(severity, "BudgetThresholdReached", text));
      }
    }
    status.setBudget(
        new BudgetStatus(
            Decimals.format(budget.spend(), 2),
            budget.forecast().map(f -> Decimals.format(f, 2)).orElse(null),
            Decimals.format(budget.usedPercent(), 1),
            spec.gates().budget().currency(),
            month,
            notified));
    return actions;
  }

  private static List<Action> tune(
      LumenPolicySpec spec,
      boolean enforced,
      LumenPolicyStatus previous,
      PolicyObservations observed,
      Gates gates,
      Instant now,
      LumenPolicyStatus status) {
    List<Action> actions = new ArrayList<>();
    TuningStatus before = previous.getTuning();
    Integer minInstances =
        observed.service().minInstances().orElse(before == null ? null : before.minInstances());
    String minInstancesChangedAt = before == null ? null : before.minInstancesChangedAt();
    String cacheTtl =
        observed
            .cacheTtl()
            .map(Durations::format)
            .orElse(before == null ? null : before.cacheTtl());
    String cacheTtlChangedAt = before == null ? null : before.cacheTtlChangedAt();
    if (spec.tuning() != null
        && spec.tuning().minInstances() != null
        && observed.service().minInstances().isPresent()) {
      var change =
          MinInstancesTuner.decide(
              spec.tuning().minInstances(),
              observed.service().minInstances().get(),
              observed.coldStartRatePercent(),
              gates.budget().map(BudgetEvaluation::usedPercent),
              Optional.ofNullable(minInstancesChangedAt).map(Instant::parse),
              now);
      if (change.isPresent()) {
        actions.add(new Action.SetMinInstances(change.get().minInstances(), change.get().reason()));
        if (enforced) {
          actions.add(new Action.Event(false, "MinInstancesChanged", change.get().reason()));
        }
        minInstances = change.get().minInstances();
        minInstancesChangedAt = now.toString();
      }
    }
    // Redis did not answer: no TTL decision on a reading that did not arrive.
    if (spec.tuning() != null && spec.tuning().cacheTtl() != null && observed.cacheReadable()) {
      Optional<Double> hitRate =
          observed.cache().filter(c -> c.lookups() > 0).map(c -> 100.0 * c.hits() / c.lookups());
      var change =
          CacheTtlTuner.decide(
              spec.tuning().cacheTtl(),
              observed.cacheTtl(),
              Optional.ofNullable(cacheTtl).map(Durations::parse),
              hitRate,
              Optional.ofNullable(cacheTtlChangedAt).map(Instant::parse),
              now);
      if (change.isPresent()) {
        actions.add(new Action.SetCacheTtl(change.get().ttl(), change.get().reason()));
        if (enforced) {
          actions.add(new Action.Event(false, "CacheTtlChanged", change.get().reason()));
        }
        String changed = Durations.format(change.get().ttl());
        // Publishing the same TTL again after Redis lost it is no change: the cooldown goes on.
        if (!changed.equals(cacheTtl)) {
          cacheTtlChangedAt = now.toString();
        }
        cacheTtl = changed;
      }
    }
    if (minInstances != null || cacheTtl != null) {
      status.setTuning(
          new TuningStatus(minInstances, cacheTtl, cacheTtlChangedAt, minInstancesChangedAt));
    }
    return actions;
  }

  /**
   * @param dryRunServing in DryRun, the split the service really serves: the rollout in status is
   *     then what Lumen would have done, and its conditions say so ({@code DryRun…} reasons)
   */
  private static void setConditions(
      LumenPolicyStatus status,
      Gates gates,
      Optional<Map<String, Integer>> dryRunServing,
      long generation,
      Instant now) {
    String serves =
        dryRunServing
            .map(
                live ->
                    "; the service serves "
                        + TrafficSplit.withoutZeros(live)
                        + " (DryRun moves no traffic)")
            .orElse("");
    String dryRun = dryRunServing.isPresent() ? "DryRun" : "";
    var writer = new ConditionList.Writer(generation, now);
    var rollout = status.getRollout();
    List<Condition> conditions = status.getConditions();
    if (rollout != null && rollout.pausedReason() != null) {
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.False,
              "TrafficChangedOutsideLumen",
              rollout.pausedReason());
    } else if (rollout != null && rollout.blockedBy() != null) {
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.False,
              dryRun + "BlockedByGate",
              (dryRun.isEmpty() ? "" : "would block: ") + rollout.blockedBy() + serves);
    } else if (rollout != null && rollout.deadlineExceeded() != null) {
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.False,
              "ProgressDeadlineExceeded",
              rollout.deadlineExceeded());
    } else if (status.getCanaryRevision() != null) {
      boolean approval = status.getPhase() == RolloutPhase.AwaitingApproval;
      String where =
          "canary "
              + status.getCanaryRevision()
              + " at "
              + status.getCanaryWeight()
              + " % in step "
              + status.getStep()
              + (approval ? ", waiting for approval (annotate lumen.dev/approve)" : "");
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.True,
              dryRun + (approval ? "AwaitingApproval" : "Step" + status.getStep()),
              (dryRun.isEmpty() ? where : "would have " + where) + serves);
    } else if (rollout != null && rollout.watch() != null) {
      var watch = rollout.watch();
      String breach =
          ": a breach of the rollback triggers or a Rollback gate rolls it back to "
              + watch.previousRevision();
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.True,
              dryRun + "Watching",
              (dryRun.isEmpty()
                      ? "promoted revision " + watch.revision() + " is watched until "
                      : "would watch promoted revision " + watch.revision() + " until ")
                  + watch.endTime()
                  + breach
                  + serves);
    } else {
      conditions =
          writer.set(
              conditions,
              Conditions.PROGRESSING,
              Condition.Status.False,
              "Idle",
              status.getStableRevision() == null
                  ? "no rollout in progress"
                  : "no rollout in progress; stable revision " + status.getStableRevision());
    }

    var guarantee = rollout == null ? null : rollout.guarantee();
    if (status.getCanaryRevision() == null || guarantee == null) {
      conditions =
          writer.set(
              conditions,
              Conditions.GUARANTEE_REACHABLE,
              Condition.Status.True,
              "NoRollout",
              status.getCanaryRevision() == null
                  ? "no canary under analysis"
                  : "no analysis yet to work out what the steps can rule out");
    } else {
      boolean reachable = !Boolean.FALSE.equals(guarantee.reachable());
      conditions =
          writer.set(
              conditions,
              Conditions.GUARANTEE_REACHABLE,
              reachable ? Condition.Status.True : Condition.Status.False,
              reachable ? "OnSchedule" : "ScheduleTooShort",
              guarantee.message());
    }

    var pending = rollout == null ? null : rollout.pendingRollback();
    if (pending == null) {
      conditions =
          writer.set(
              conditions,
              Conditions.ROLLBACK_PENDING,
              Condition.Status.False,
              "NoRollbackPending",
              "no rollback announced");
    } else {
      boolean held = Boolean.TRUE.equals(rollout.held());
      String reason =
          pending.executeAfter() == null
              ? "RollbackRecommended"
              : held ? "RollbackHeld" : "RollbackAnnounced";
      conditions =
          writer.set(
              conditions,
              Conditions.ROLLBACK_PENDING,
              Condition.Status.True,
              dryRun + reason,
              (dryRun.isEmpty() ? "" : "would roll back: ")
                  + pending.reason()
                  + when(pending, held, now)
                  + serves);
    }

    List<GateResult> all = gates.all();
    List<String> failing = describe(all, GateStatus.Result.Fail);
    List<String> unknown = describe(all, GateStatus.Result.Unknown);
    if (!failing.isEmpty()) {
      conditions =
          writer.set(
              conditions,
              Conditions.GATES_PASSING,
              Condition.Status.False,
              "GateFailed",
              String.join("; ", failing));
    } else if (!unknown.isEmpty()) {
      conditions =
          writer.set(
              conditions,
              Conditions.GATES_PASSING,
              Condition.Status.Unknown,
              "GateUnknown",
              String.join("; ", unknown));
    } else {
      conditions =
          writer.set(
              conditions,
              Conditions.GATES_PASSING,
              Condition.Status.True,
              "GatesPass",
              all.isEmpty() ? "no gates configured" : "every gate passes or warns");
    }

    String failed = rollout == null ? null : rollout.failedRevision();
    if (failed != null) {
      conditions =
          writer.set(
              conditions,
              Conditions.DEGRADED,
              Condition.Status.True,
              dryRun + "RolledBack",
              dryRun.isEmpty()
                  ? "revision "
                      + failed
                      + " was rolled back; "
                      + status.getStableRevision()
                      + " serves"
                  : "would have rolled back revision "
                      + failed
                      + " to "
                      + status.getStableRevision()
                      + serves);
    } else if (!failing.isEmpty()) {
      conditions =
          writer.set(
              conditions,
              Conditions.DEGRADED,
              Condition.Status.True,
              "GateFailed",
              String.join("; ", failing));
    } else {
      conditions =
          writer.set(
              conditions,
              Conditions.DEGRADED,
              Condition.Status.False,
              "NotDegraded",
              "no failed revision and no failing gate");
    }
    status.setConditions(conditions);
  }

  /**
   * When an announced rollback executes: after its grace period, or, held, once released; a held
   * one past its time says so instead of naming a time gone by.
   */
  private static String when(PendingRollbackStatus pending, boolean held, Instant now) {
    if (pending.executeAfter() == null) {
      return "";
    }
    Instant due = Instant.parse(pending.executeAfter());
    if (!held) {
      return "; executes after " + pending.executeAfter();
    }
    return now.isBefore(due)
        ? "; held (lumen.dev/hold-rollback): it waits past "
            + pending.executeAfter()
            + " until released (lumen.dev/release-rollback)"
        : "; held (lumen.dev/hold-rollback) since its time "
            + pending.executeAfter()
            + " passed: it executes once released (lumen.dev/release-rollback)";
  }

  private static List<String> describe(List<GateResult> gates, GateStatus.Result result) {
    return gates.stream()
        .filter(g -> g.result() == result)
        .map(g -> g.name() + ": " + g.message())
        .toList();
  }

  private static List<DecisionRecord> recentDecisions(
      LumenPolicyStatus previous, List<Action> actions, boolean enforced, Instant now) {
    List<DecisionRecord> recent = new ArrayList<>();
    for (int i = actions.size() - 1; i >= 0; i--) {
      Action action = actions.get(i);
      if (action instanceof Action.Notify) {
        continue;
      }
      boolean changesTheWorld = !(action instanceof Action.Event);
      recent.add(
          new DecisionRecord(
              now.toString(), action.kind(), action.reason(), changesTheWorld ? enforced : null));
    }
    if (previous.getRecentDecisions() != null) {
      recent.addAll(previous.getRecentDecisions());
    }
    return List.copyOf(recent.subList(0, Math.min(RECENT_DECISIONS, recent.size())));
  }

  /**
   * A new status carrying over what this decision may leave as it was; gates, health, maturity,
   * ROI, recent decisions and the generation are always written anew.
   */
  private static LumenPolicyStatus copyOf(LumenPolicyStatus previous) {
    var copy = new LumenPolicyStatus();
    copy.setStableRevision(previous.getStableRevision());
    copy.setCanaryRevision(previous.getCanaryRevision());
    copy.setCanaryWeight(previous.getCanaryWeight());
    copy.setStep(previous.getStep());
    copy.setStepStartTime(previous.getStepStartTime());
    copy.setRollout(previous.getRollout());
    copy.setBudget(previous.getBudget());
    copy.setTuning(previous.getTuning());
    copy.setConditions(previous.getConditions());
    return copy;
  }
}
