package dev.lumen.cycle;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.Durations;
import dev.lumen.engine.slo.SloEvaluation;
import dev.lumen.engine.slo.SloEvaluator;
import dev.lumen.engine.slo.SloNotices;
import dev.lumen.engine.slo.SloStatusBuilder;
import dev.lumen.observe.SloObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One evaluation of one SLOTarget: measure every window its objectives need, evaluate, write state,
 * compliance, each objective and the conditions, an event when the state changes, a notification
 * when an objective is breached or met again or its burn rate changes ({@link SloNotices}), and
 * when to evaluate next.
 */
public final class SloCycle {
  private final SloObserver observer;
  private final SloEvaluator evaluator = new SloEvaluator();
  private final Clock clock;
  private final Duration recheckInterval;

  public SloCycle(SloObserver observer, Clock clock) {
    this(observer, clock, PolicyCycle.IDLE_INTERVAL);
  }

  /**
   * @param recheckInterval how soon an SLOTarget waiting for another object (a binding) looks again
   */
  public SloCycle(SloObserver observer, Clock clock, Duration recheckInterval) {
    this.observer = observer;
    this.clock = clock;
    this.recheckInterval = recheckInterval;
  }

  /**
   * What the cycle is given about one SLOTarget.
   *
   * @param owner "SLOTarget/namespace/name", for shared reads
   * @param uid spreads the evaluations of many SLOTargets over their interval
   * @param spec the spec with its defaults
   * @param readiness whether the spec was accepted, and why not
   * @param moreConditions the caller's own conditions on top of Ready (e.g. AlertRulesPublished)
   * @param prometheusAuthorization the Authorization header of a Prometheus source, read from the
   *     SLOTarget's Secrets by the caller
   */
  public record Input(
      String owner,
      String uid,
      long generation,
      SLOTargetSpec spec,
      Readiness readiness,
      UnaryOperator<List<Condition>> moreConditions,
      Optional<String> prometheusAuthorization) {}

  /**
   * One evaluation. A failure outside the ports ends it with Ready=False {@code ReconcileFailing}
   * naming the exception, and a retry after {@link PolicyCycle#FAILURE_RETRY}.
   */
  public Outcome run(
      Input in, StatusStore<SLOTargetStatus> store, DecisionSink<SLOTargetStatus> sink) {
    try {
      return evaluate(in, store, sink);
    } catch (RuntimeException e) {
      CycleFailure.report(e, in.generation(), store, sink, SLOTargetStatus::new, clock.instant());
      return Outcome.after(clock.instant(), PolicyCycle.FAILURE_RETRY);
    }
  }

  private Outcome evaluate(
      Input in, StatusStore<SLOTargetStatus> store, DecisionSink<SLOTargetStatus> sink) {
    Instant now = clock.instant();
    SLOTargetStatus previous = store.current();
    if (!in.readiness().accepted()) {
      sink.report(
          ReadyCondition.write(store, SLOTargetStatus::new, in.generation(), in.readiness(), now));
      return in.readiness().waitsForAnotherObject()
          ? Outcome.after(now, recheckInterval)
          : Outcome.waitForChange(now);
    }
    var seen = observer.observe(in.owner(), in.spec(), in.prometheusAuthorization(), now);
    SloEvaluation evaluation = evaluator.evaluate(in.spec(), seen.observations(), now);
    SLOTargetStatus next = SloStatusBuilder.build(previous, evaluation, in.generation(), now);
    ReadyCondition.update(next, in.generation(), in.readiness().withGaps(seen.gaps()), now);
    next.setConditions(in.moreConditions().apply(next.getConditions()));
    SLOTargetStatus written = store.write(next);
    announceStateChange(sink, previous == null ? null : previous.getState(), written);
    SloNotices.between(in.spec(), previous, written)
        .ifPresent(
            notice -> {
              // A change of state has its own event; a breach or a recovery within one does not.
              if (!notice.kind().startsWith("State")) {
                sink.event(notice.severity().warns(), notice.kind(), notice.text());
              }
              sink.notify(notice.severity(), notice.kind(), notice.text());
            });
    sink.report(written);
    Duration interval = Durations.parse(in.spec().evaluationInterval());
    return Outcome.after(now, EvaluationSlots.untilNext(in.uid(), interval, now), seen.gaps());
  }

  /**
   * Announces an SLOTarget not evaluated yet (after a start), so that the first reads of its
   * project include its service ({@link dev.lumen.observe.BatchedMetrics#expect}).
   */
  public void expect(String owner, SLOTargetSpec spec) {
    observer.expect(owner, spec);
  }

  /** Drops what was kept for a deleted SLOTarget: its share of the reads. */
  public void forget(String owner) {
    observer.forget(owner);
  }

  private static void announceStateChange(
      DecisionSink<SLOTargetStatus> sink, SloState before, SLOTargetStatus now) {
    if (before == now.getState() || (before == null && now.getState() == SloState.NoData)) {
      return;
    }
    boolean warning = now.getState() == SloState.Warning || now.getState() == SloState.Critical;
    sink.event(
        warning,
        "State" + now.getState(),
        "state "
            + (before == null ? "(none)" : before)
            + " -> "
            + now.getState()
            + (now.getCompliance() == null ? "" : ", compliance " + now.getCompliance() + " %"));
  }
}
