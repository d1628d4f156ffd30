package dev.lumen.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.CacheSpec;
import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.PostPromotionSpec;
import dev.lumen.api.v1alpha1.RedisReference;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.RollbackSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.MinutesStatus;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.api.v1alpha1.ServiceReference;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.api.v1alpha1.TuningSpec;
import dev.lumen.clock.VirtualClock;
import dev.lumen.engine.Severity;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.rollout.Command;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.ServiceListings;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.ForwardingCloudRunServices;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop around the engine, case by case, with in-memory fakes: the change protocol (intent in
 * status before the change, cleared after), waiting tuning changes, commands, DryRun, restarts.
 */
class PolicyCycleTest {
  static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  static final CloudRunServiceReference WEB =
      new CloudRunServiceReference("my-project", "us-central1", "web");
  static final CloudRunServiceReference API =
      new CloudRunServiceReference("my-project", "us-central1", "api");
  static final Optional<URI> REDIS = Optional.of(URI.create("redis://cache:6379"));
  static final String TTL_KEY = "lumen:ttl:web";

  final VirtualClock clock = new VirtualClock(START);
  final FakeCloudRun fakeCloudRun = new FakeCloudRun();
  final FaultyCloudRun cloudRun = new FaultyCloudRun(fakeCloudRun);
  final InMemoryCacheStore redis = new InMemoryCacheStore();
  final FakeMetrics metrics = new FakeMetrics();
  final HeldStatus<LumenPolicyStatus> store = new HeldStatus<>(null);
  final RecordingSink sink = new RecordingSink();
  final HeldStatus<LumenPolicyStatus> apiStore = new HeldStatus<>(null);
  LumenPolicySpec spec = spec(LumenPolicySpec.Mode.Enforce);
  Set<Command> commands = EnumSet.noneOf(Command.class);
  Map<String, SLOTargetStatus> sloTargets = Map.of();
  PolicyCycle cycle;

  @BeforeEach
  void startOperator() {
    fakeCloudRun.create(WEB, "web-00001", START.minus(Duration.ofDays(1)));
    cycle = newCycle();
  }

  /** A new cycle with nothing in memory, as after a restart of the operator. */
  PolicyCycle newCycle() {
    var backends = new Backends(cloudRun, metrics, url -> redis, Backends.noPrometheus());
    var listings = new ServiceListings(clock);
    return new PolicyCycle(
        new PolicyEngine(),
        new PolicyObserver(
            backends,
            new BatchedMetrics(clock),
            listings,
            new CacheReadings(),
            Duration.ofMinutes(1)),
        new ChangeApplier(backends, listings),
        clock,
        Duration.ofSeconds(10));
  }

  @Test
  void aNewRevisionStartsARolloutWhoseTrafficIsRecordedBeforeItIsMovedAndClearedAfter() {
    run();
    deployCanary();

    var outcome = run();

    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getPending()).isNull();
    // Told only once Cloud Run serves it, and status says so by then.
    assertThat(sink.notified).containsExactly("TrafficShifted with canary web-00002 at 50 %");
    assertThat(store.current().getCanaryRevision()).isEqualTo("web-00002");
    // Looked at again within the analysis interval.
    assertThat(outcome.next())
        .hasValueSatisfying(
            d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
  }

  @Test
  void aReconcileBetweenTwoAnalysesWakesWhenTheNextIsDueNotAnIntervalAfterItself() {
    run();
    deployCanary();
    run();
    Instant stepStart = Instant.parse(store.current().getStepStartTime());
    runWebAt(stepStart.plus(Duration.ofMinutes(1)));
    assertThat(store.current().getRollout().lastAnalysis().time())
        .isEqualTo(stepStart.plus(Duration.ofMinutes(1)).toString());

    // An event (an annotation, a referenced SLOTarget's status) brings a reconcile early, or the
    // demo's clock slowed down under a wait computed at the faster speed.
    Outcome early = runWebAt(stepStart.plus(Duration.ofSeconds(90)));

    assertThat(early.next()).as("until the analysis due at 2m").contains(Duration.ofSeconds(30));
    runWebAt(early.nextAt().orElseThrow());
    assertThat(store.current().getRollout().lastAnalysis().time())
        .isEqualTo(stepStart.plus(Duration.ofMinutes(2)).toString());
  }

  @Test
  void theEndOfAStepsPauseIsLookedAtWhenItComesBetweenTwoAnalyses() {
    spec = withAnalysisInterval(spec, "3m");
    run();
    deployCanary();
    run();
    Instant stepStart = Instant.parse(store.current().getStepStartTime());
    runWebAt(stepStart.plus(Duration.ofMinutes(9)));

    Outcome waiting = runWebAt(stepStart.plus(Duration.ofMinutes(9)).plusSeconds(30));

    assertThat(waiting.nextAt())
        .as("the 10-minute pause ends before the analysis due at 12m")
        .contains(stepStart.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aTransientTrafficFailureBlocksFurtherDecisionsUntilTheChangeIsMade() {
    run();
    deployCanary();
    cloudRun.failSetTraffic(() -> PortException.transientFailure("ABORTED: etag conflict", null));

    var failed = run();

    assertThat(failed.next())
        .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(PolicyCycle.FAILURE_RETRY));
    assertThat(sink.reasons()).contains(PolicyCycle.CHANGE_RETRYING);
    assertThat(kinds(store.current().getPending())).containsExactly(Changes.SET_TRAFFIC);

    // A person asks for a rollback meanwhile: nothing is decided until the first change is made.
    commands = EnumSet.of(Command.ABORT);
    cloudRun.failSetTraffic(() -> PortException.transientFailure("ABORTED: etag conflict", null));
    LumenPolicyStatus before = store.current();
    run();
    assertThat(store.current().getRollout()).isEqualTo(before.getRollout());
    assertThat(sink.removed).isEmpty();
    assertThat(fakeCloudRun.trafficChanges()).isEmpty();

    var finished = run();
    assertThat(finished.next()).contains(Duration.ZERO);
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getPending()).isNull();

    run();
    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00001", 100));
    assertThat(sink.removed).containsExactly(List.of(Command.ABORT.annotation()));
  }

  @Test
  void aRestartBeforeTheTrafficChangeMakesItOnce() {
    run();
    deployCanary();
    cloudRun.failSetTraffic(Death::new);
    assertThatThrownBy(this::run).hasMessageContaining("died");
    restartAndExpectTheFirstStepMadeOnce();
  }

  @Test
  void aRestartAfterTheTrafficChangeDoesNotMakeItAgain() {
    run();
    deployCanary();
    var dying = new DyingStore(store, 2);
    assertThatThrownBy(() -> cycle.run(input(), dying, sink)).hasMessageContaining("died");
    assertThat(fakeCloudRun.trafficChanges()).hasSize(1);
    restartAndExpectTheFirstStepMadeOnce();
  }

  @Test
  void aRecordedTrafficChangeIsNotReplayedOverAPersonsRollback() {
    run();
    deployCanary();
    run();
    // The promotion is recorded, but Cloud Run refuses it for now.
    cloudRun.failSetTraffic(() -> PortException.transientFailure("UNAVAILABLE", null));
    commands = EnumSet.of(Command.PROMOTE);
    run();
    assertThat(kinds(store.current().getPending())).containsExactly(Changes.SET_TRAFFIC);
    // Meanwhile a person rolls back by hand, as the runbook says.
    fakeCloudRun.editTrafficOutsideLumen(WEB, Map.of("web-00001", 100));
    commands = EnumSet.noneOf(Command.class);

    run();

    assertThat(fakeCloudRun.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-00001", 100));
    assertThat(fakeCloudRun.trafficChanges()).doesNotContain(Map.of("web-00002", 100));
    assertThat(sink.reasons()).contains(PolicyCycle.PENDING_CHANGE_SUPERSEDED);
    assertThat(store.current().getPending()).isNull();
  }

  @Test
  void aDecisionTakenOnASharedListingIsNotMadeOverAPersonsChangeSinceTheListing() {
    watchApiToo();
    run();
    deployCanary();
    run();
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    // The other policy's evaluation lists the location; a person rolls back by hand just after.
    Instant listed = clock.instant().plus(Duration.ofMinutes(1));
    runApiAt(listed);
    fakeCloudRun.editTrafficOutsideLumen(WEB, Map.of("web-00001", 100));
    commands = EnumSet.of(Command.PROMOTE);

    runWebAt(listed.plusSeconds(20));

    assertThat(fakeCloudRun.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-00001", 100));
    assertThat(fakeCloudRun.trafficChanges()).doesNotContain(Map.of("web-00002", 100));
    assertThat(sink.reasons()).contains(PolicyCycle.PENDING_CHANGE_SUPERSEDED);
  }

  @Test
  void lumensOwnTrafficChangeIsSeenAtOnceThoughTheLocationsListingPredatesIt() {
    watchApiToo();
    run();
    deployCanary();
    Instant listed = clock.instant().plus(Duration.ofMinutes(1));
    runApiAt(listed);
    runWebAt(listed.plusSeconds(10));
    assertThat(store.current().getCanaryWeight()).isEqualTo(50);
    var decided = List.copyOf(sink.decisions);

    runWebAt(listed.plusSeconds(20));

    assertThat(store.current().getCanaryRevision()).isEqualTo("web-00002");
    assertThat(store.current().getCanaryWeight()).isEqualTo(50);
    assertThat(sink.decisions).as("nothing new decided").isEqualTo(decided);
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
  }

  @Test
  void aRecordedTrafficChangeIsNotMadeOnceThePolicyLeavesEnforce() {
    run();
    deployCanary();
    cloudRun.failSetTraffic(() -> PortException.transientFailure("UNAVAILABLE", null));
    run();
    assertThat(kinds(store.current().getPending())).containsExactly(Changes.SET_TRAFFIC);
    spec = spec(LumenPolicySpec.Mode.DryRun);

    run();
    run();

    assertThat(fakeCloudRun.writes()).isZero();
    assertThat(sink.reasons()).contains(PolicyCycle.PENDING_CHANGE_DROPPED);
    assertThat(store.current().getPending()).isNull();
  }

  @Test
  void aWaitingTuningChangeDoesNotHoldUpARollback() {
    run();
    deployCanary();
    run();
    store.write(withPending(store.current(), ttlChange("20m")));
    redis.setDown(true);
    commands = EnumSet.of(Command.ABORT);

    run();

    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00001", 100));
    assertThat(kinds(store.current().getPending())).containsExactly(Changes.SET_CACHE_TTL);
    assertThat(sink.messages())
        .anyMatch(
            m -> m.startsWith("SetCacheTtl not applied yet") && m.contains("decisions go on"));
    redis.setDown(false);
    commands = EnumSet.noneOf(Command.class);
    run();
    assertThat(redis.ttl(TTL_KEY)).contains(Duration.ofMinutes(20));
    assertThat(store.current().getPending()).isNull();
  }

  @Test
  void aWaitingTuningChangeIsDroppedWhenThePolicyLeavesEnforce() {
    run();
    Optional<Duration> published = redis.ttl(TTL_KEY);
    store.write(withPending(store.current(), ttlChange("20m")));
    spec = spec(LumenPolicySpec.Mode.DryRun);

    var outcome = run();

    assertThat(store.current().getPending()).isNull();
    assertThat(sink.reasons()).contains(PolicyCycle.PENDING_CHANGE_DROPPED);
    assertThat(redis.ttl(TTL_KEY))
        .isEqualTo(published)
        .isNotEqualTo(Optional.of(Duration.ofMinutes(20)));
    assertThat(outcome.next()).isPresent();
  }

  @Test
  void consumedAnnotationsAreRemovedOnceAndNotActedOnAgainAfterARestart() {
    run();
    deployCanary();
    run();
    commands = EnumSet.of(Command.ABORT);
    sink.failRemovals = true;

    var failed = run();

    // The rollback was made; the annotation could not be removed, and status says so.
    assertThat(failed.next()).contains(PolicyCycle.FAILURE_RETRY);
    assertThat(ready(store.current()).reason()).isEqualTo("ReconcileFailing");
    assertThat(ready(store.current()).message())
        .contains("IllegalStateException: the API server did not answer");
    assertThat(store.current().getPending().consumedAnnotations())
        .containsExactly(Command.ABORT.annotation());
    int changes = fakeCloudRun.trafficChanges().size();

    // The annotation is still on the resource; a restart removes it without acting twice.
    sink.failRemovals = false;
    cycle = newCycle();
    run();
    assertThat(sink.removed).containsExactly(List.of(Command.ABORT.annotation()));
    assertThat(fakeCloudRun.trafficChanges()).hasSize(changes);
    assertThat(store.current().getPending()).isNull();

    commands = EnumSet.noneOf(Command.class);
    run();
    assertThat(sink.removed).hasSize(1);
    assertThat(ready(store.current()).status()).isEqualTo(Condition.Status.True);
  }

  @Test
  void aFailureOutsideThePortsIsNeverReadyTrueAndIsRetried() {
    run();
    assertThat(ready(store.current()).status()).isEqualTo(Condition.Status.True);
    cloudRun.failGet = () -> new IllegalArgumentException("a bug in an adapter");

    var failed = run();

    assertThat(failed.next()).contains(PolicyCycle.FAILURE_RETRY);
    assertThat(ready(store.current()).status()).isEqualTo(Condition.Status.False);
    assertThat(ready(store.current()).reason()).isEqualTo("ReconcileFailing");
    assertThat(ready(store.current()).message())
        .contains("IllegalArgumentException: a bug in an adapter");
    assertThat(sink.reasons()).contains("ReconcileFailing");
    assertThat(sink.failures).hasSize(1);
    assertThat(sink.reports).isEqualTo(2);

    cloudRun.failGet = null;
    run();
    assertThat(ready(store.current()).status()).isEqualTo(Condition.Status.True);
  }

  @Test
  void aTrafficChangeCloudRunRefusesIsNotCountedAsDoneAndIsTriedAgainLater() {
    run();
    deployCanary();
    cloudRun.failSetTraffic(() -> PortException.permanentFailure("PERMISSION_DENIED", null));

    var outcome = run();

    LumenPolicyStatus status = store.current();
    // Status says what is served: no rollout started, the canary is not blamed.
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(status.getRollout() == null ? null : status.getRollout().trafficSetByLumen())
        .isNullOrEmpty();
    assertThat(condition(status, Conditions.PROGRESSING))
        .satisfies(
            c -> {
              assertThat(c.reason()).isEqualTo(PolicyCycle.TRAFFIC_CHANGE_FAILED);
              assertThat(c.message())
                  .contains("PERMISSION_DENIED", "the service serves {web-00001=100}");
            });
    assertThat(status.getPending().attempts()).isEqualTo(1);
    assertThat(sink.notified).containsExactly("TrafficChangeFailed with canary null at null %");
    assertThat(outcome.next()).contains(Duration.ofSeconds(30));

    // Within the wait nothing is tried; after it, the change is made and then counted.
    clock.set(clock.instant().minusSeconds(50));
    run();
    assertThat(fakeCloudRun.trafficChanges()).isEmpty();
    run();
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getCanaryRevision()).isEqualTo("web-00002");
    assertThat(store.current().getPending()).isNull();
    assertThat(condition(store.current(), Conditions.PROGRESSING).reason()).isEqualTo("Step0");
  }

  @Test
  void aRollbackWhoseStableRevisionIsGoneGoesToTheNewestReadyRevisionBeforeTheCanary() {
    run();
    deployCanary();
    run();
    commands = EnumSet.of(Command.PROMOTE);
    run();
    commands = EnumSet.noneOf(Command.class);
    run();
    assertThat(store.current().getStableRevision()).isEqualTo("web-00002");
    fakeCloudRun.deploy(WEB, "web-00003", clock.instant());
    run();
    assertThat(store.current().getCanaryRevision()).isEqualTo("web-00003");
    fakeCloudRun.breakRevision(WEB, "web-00002");
    commands = EnumSet.of(Command.ABORT);

    run();

    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00001", 100));
    LumenPolicyStatus status = store.current();
    assertThat(status.getPending()).isNull();
    assertThat(status.getStableRevision()).isEqualTo("web-00001");
    assertThat(status.getRollout().failedRevision()).isEqualTo("web-00003");
    assertThat(status.getRollout().trafficSetByLumen())
        .containsExactly(new RolloutStatus.TrafficShare("web-00001", 100));
    assertThat(sink.messages())
        .contains(
            "stable revision web-00002 is gone; rolling back to web-00001, the newest ready"
                + " revision before web-00003");
  }

  @Test
  void aDecidedRollbackIsMadeWhileTheApiServerCannotRecordItAndAdoptedOnceItIsBack() {
    run();
    deployCanary();
    run();
    LumenPolicyStatus before = store.current();
    var outage = new OutageStore(store);
    commands = EnumSet.of(Command.ABORT);

    var during = cycle.run(input(), outage, sink);

    assertThat(fakeCloudRun.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-00001", 100));
    assertThat(store.current()).isEqualTo(before);
    assertThat(sink.reasons())
        .contains(PolicyCycle.UNRECORDED_ROLLBACK, PolicyCycle.STATUS_UNWRITABLE);
    assertThat(during.next()).contains(PolicyCycle.FAILURE_RETRY);
    assertThat(sink.failures).isEmpty();

    // The API server is back: the rollback is adopted, the canary marked failed, nothing moved.
    int changes = fakeCloudRun.trafficChanges().size();
    run();
    run();
    assertThat(store.current().getCanaryRevision()).isNull();
    assertThat(store.current().getStableRevision()).isEqualTo("web-00001");
    assertThat(store.current().getRollout().failedRevision()).isEqualTo("web-00002");
    assertThat(fakeCloudRun.trafficChanges()).hasSize(changes);
  }

  @Test
  void aRollbackIsReportedDoneOnlyOnceCloudRunServesItAndIsRetriedWithGrowingWaits() {
    run();
    deployCanary();
    run();
    fakeCloudRun.failToServeTrafficChanges(WEB, "revision web-00001 cannot be reached");
    commands = EnumSet.of(Command.ABORT);

    var refused = run();

    LumenPolicyStatus status = store.current();
    assertThat(status.getCanaryRevision()).isEqualTo("web-00002");
    assertThat(status.getRollout().failedRevision()).isNull();
    assertThat(sink.reasons()).contains(PolicyCycle.ROLLBACK_STARTED).doesNotContain("RolledBack");
    assertThat(sink.notified)
        .containsExactly(
            "TrafficShifted with canary web-00002 at 50 %",
            "RollbackStarted with canary web-00002 at 50 %",
            "RollbackFailed with canary web-00002 at 50 %");
    assertThat(condition(status, Conditions.DEGRADED))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(Condition.Status.True);
              assertThat(c.reason()).isEqualTo(PolicyCycle.ROLLBACK_FAILED);
              assertThat(c.message())
                  .contains(
                      "Cloud Run serves {web-00001=50, web-00002=50}, not {web-00001=100}",
                      "revision web-00001 cannot be reached",
                      "spec.mode to DryRun");
            });
    assertThat(refused.next()).contains(Duration.ofSeconds(30));
    assertThat(sink.removed).isEmpty();

    // Refused again: the wait doubles, and nothing else is decided meanwhile.
    clock.set(clock.instant().minusSeconds(30));
    assertThat(run().next()).contains(Duration.ofMinutes(1));
    assertThat(store.current().getPending().attempts()).isEqualTo(2);
    assertThat(sink.notified).hasSize(3);

    fakeCloudRun.serveTrafficChanges(WEB);
    run();
    status = store.current();
    assertThat(status.getPending()).isNull();
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(status.getRollout().failedRevision()).isEqualTo("web-00002");
    assertThat(condition(status, Conditions.DEGRADED).reason()).isEqualTo("RolledBack");
    assertThat(sink.notified).last().isEqualTo("RolledBack with canary null at null %");
    assertThat(sink.removed).containsExactly(List.of(Command.ABORT.annotation()));
    // Lumen blames nobody: the split it set is the one served.
    commands = EnumSet.noneOf(Command.class);
    run();
    assertThat(store.current().getRollout().pausedReason()).isNull();
  }

  @Test
  void aStepBakesItsWholePauseFromWhenCloudRunServesItsSplitAndIsJudgedOnItsRequestsOnly() {
    run();
    deployCanary();
    Instant decided = clock.instant().plus(Duration.ofMinutes(1));
    // The canary fails half its requests until the split is in force, and none after: only a
    // judgement on the minutes before the split counts those.
    Instant served = decided.plus(Duration.ofMinutes(3));
    serve("web-00001", START, START.plus(Duration.ofHours(1)), 600, 0);
    serve("web-00002", START, served, 600, 300);
    serve("web-00002", served, START.plus(Duration.ofHours(1)), 600, 0);
    for (int conflict = 0; conflict < 3; conflict++) {
      cloudRun.failSetTraffic(() -> PortException.transientFailure("ABORTED: etag conflict", null));
    }

    run();
    run();
    run();
    assertThat(fakeCloudRun.trafficChanges()).isEmpty();
    assertThat(sink.notified).as("nothing told before Cloud Run serves it").isEmpty();
    run();

    assertThat(clock.instant()).isEqualTo(served);
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getStepStartTime())
        .as("the step's clock starts when its split is in force, not at the decision")
        .isEqualTo(served.toString());
    assertThat(sink.notified).containsExactly("TrafficShifted with canary web-00002 at 50 %");

    Instant nextStep = null;
    while (clock.instant().isBefore(served.plus(Duration.ofMinutes(20))) && nextStep == null) {
      run();
      if (fakeCloudRun.trafficChanges().size() > 1) {
        nextStep = clock.instant();
      }
    }
    assertThat(fakeCloudRun.trafficChanges())
        .as("judged only on the requests served at 50 %%: no rollback, then the last step")
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50), Map.of("web-00002", 100));
    assertThat(nextStep)
        .as("the whole 10-minute pause at 50 %")
        .isAfterOrEqualTo(served.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aPromotedRevisionIsWatchedFromWhenCloudRunServesItAndRolledBackWhenItRegresses() {
    var base = spec(LumenPolicySpec.Mode.Enforce);
    var r = base.rollout();
    spec =
        new LumenPolicySpec(
            base.service(),
            base.mode(),
            base.sloTargets(),
            new RolloutSpec(
                r.steps(),
                r.analysis(),
                r.rollback(),
                r.progressDeadline(),
                r.onProgressDeadline(),
                new PostPromotionSpec("30m"),
                r.revisionTags()),
            base.gates(),
            base.tuning(),
            base.notifications(),
            base.cache());
    run();
    deployCanary();
    serve("web-00001", START, START.plus(Duration.ofHours(2)), 600, 0);
    // Healthy at 50 %; at full traffic it fails a fifth of its requests.
    Instant regression = START.plus(Duration.ofMinutes(30));
    serve("web-00002", START, regression, 600, 0);
    serve("web-00002", regression, START.plus(Duration.ofHours(2)), 600, 120);

    Instant promotedAt = null;
    Instant decidedAt = null;
    boolean conflicts = false;
    while (promotedAt == null && clock.instant().isBefore(START.plus(Duration.ofMinutes(40)))) {
      if (!conflicts && fakeCloudRun.trafficChanges().size() == 1) {
        // The promotion meets two etag conflicts: its watch must count from when it is served.
        conflicts = true;
        cloudRun.failSetTraffic(
            () -> PortException.transientFailure("ABORTED: etag conflict", null));
        cloudRun.failSetTraffic(
            () -> PortException.transientFailure("ABORTED: etag conflict", null));
      }
      run();
      if (decidedAt == null && conflicts && store.current().getPending() != null) {
        decidedAt = clock.instant();
      }
      if (fakeCloudRun.trafficChanges().size() == 2) {
        promotedAt = clock.instant();
      }
    }
    assertThat(decidedAt).isNotNull();
    assertThat(promotedAt).isAfter(decidedAt);
    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00002", 100));
    var watch = store.current().getRollout().watch();
    assertThat(watch.startTime())
        .as("from when all traffic is served")
        .isEqualTo(promotedAt.toString());
    assertThat(watch.endTime()).isEqualTo(promotedAt.plus(Duration.ofMinutes(30)).toString());
    assertThat(store.current().getPhase()).isEqualTo(RolloutPhase.Watching);
    assertThat(promotedAt).isBefore(regression);

    while (fakeCloudRun.trafficChanges().size() == 2
        && clock.instant().isBefore(regression.plus(Duration.ofMinutes(20)))) {
      run();
    }
    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00001", 100));
    assertThat(sink.events)
        .anyMatch(e -> e.startsWith("RollbackAnnounced: rolling back web-00002 at "))
        .anyMatch(
            e ->
                e.startsWith(
                    "RolledBack: rolled back web-00002 to web-00001: promoted revision web-00002"));
    LumenPolicyStatus status = store.current();
    assertThat(status.getStableRevision()).isEqualTo("web-00001");
    assertThat(status.getRollout().failedRevision()).isEqualTo("web-00002");
    assertThat(status.getRollout().watch()).isNull();
  }

  @Test
  void aCacheThePolicyNamesIsMeasuredWithoutTuningItsTtl() {
    var base = spec(LumenPolicySpec.Mode.Enforce);
    spec =
        new LumenPolicySpec(
            base.service(),
            base.mode(),
            base.sloTargets(),
            base.rollout(),
            new GatesSpec(null, new RoiGate("10", null, "0.02", "500", "300", null), null, null),
            null,
            base.notifications(),
            new CacheSpec(
                new RedisReference(new SecretKeyReference("redis", "url"), TTL_KEY), null));
    for (int minute = 0; minute < 5; minute++) {
      redis.recordLookups(9_000, 1_000);
      run();
    }

    LumenPolicyStatus status = store.current();
    assertThat(status.getRoi()).as("ROI from the measured hits").isNotNull();
    assertThat(status.getGates())
        .filteredOn(g -> g.name().equals("roi"))
        .singleElement()
        .satisfies(g -> assertThat(g.result()).isNotEqualTo(GateStatus.Result.Unknown));
    assertThat(redis.ttl(TTL_KEY)).as("no TTL is published without tuning").isEmpty();
  }

  @Test
  void theCanaryAndStableAreTaggedWhileTheRolloutRunsAndUntaggedWhenItEnds() {
    run();
    deployCanary();
    serve("web-00001", START, START.plus(Duration.ofHours(1)), 600, 0);
    serve("web-00002", START, START.plus(Duration.ofHours(1)), 600, 0);

    run();
    assertThat(fakeCloudRun.get(WEB).tags())
        .as("the canary has a URL of its own while it rolls out")
        .isEqualTo(Map.of("web-00001", "stable", "web-00002", "canary"));

    while (store.current().getStableRevision().equals("web-00001")
        && clock.instant().isBefore(START.plus(Duration.ofMinutes(40)))) {
      run();
    }
    assertThat(fakeCloudRun.trafficChanges()).last().isEqualTo(Map.of("web-00002", 100));
    assertThat(fakeCloudRun.get(WEB).tags()).as("removed when the rollout ends").isEmpty();
  }

  @Test
  void aDryRunCanaryThatFailsIsOnlyEverToldAsWhatLumenWouldDo() {
    spec = spec(LumenPolicySpec.Mode.DryRun);
    run();
    deployCanary();
    // The team routes 10 % to the canary by hand; Lumen only watches.
    fakeCloudRun.editTrafficOutsideLumen(WEB, Map.of("web-00001", 90, "web-00002", 10));
    int writes = fakeCloudRun.writes();
    serve("web-00001", START, START.plus(Duration.ofHours(1)), 600, 0);
    serve("web-00002", START, START.plus(Duration.ofHours(1)), 600, 300);

    for (int minute = 0; minute < 15; minute++) {
      run();
    }

    assertThat(fakeCloudRun.writes()).as("no Cloud Run call changes anything").isEqualTo(writes);
    assertThat(sink.events)
        .noneMatch(e -> e.startsWith("RolledBack") || e.startsWith("Promoted"))
        .noneMatch(e -> e.startsWith("RollbackStarted") || e.startsWith("TrafficShifted"))
        .noneMatch(e -> e.contains("would rolled"))
        .anyMatch(e -> e.startsWith("DryRunRollback: would roll back web-00002 to web-00001: "));
    assertThat(sink.notified)
        .noneMatch(n -> n.startsWith("RolledBack") || n.startsWith("Promoted"))
        .anyMatch(n -> n.startsWith("DryRunRollback"));
    LumenPolicyStatus status = store.current();
    assertThat(condition(status, Conditions.DEGRADED).reason()).isEqualTo("DryRunRolledBack");
    assertThat(condition(status, Conditions.DEGRADED).message())
        .isEqualTo(
            "would have rolled back revision web-00002 to web-00001; the service serves"
                + " {web-00001=90, web-00002=10} (DryRun moves no traffic)");
    assertThat(status.getConditions())
        .extracting(Condition::message)
        .noneMatch(m -> m.contains("was rolled back"));
  }

  /** {@code revision} serves {@code perMinute} requests a minute in [from, to). */
  void serve(String revision, Instant from, Instant to, long perMinute, long serverErrors) {
    for (Instant minute = from; minute.isBefore(to); minute = minute.plus(Duration.ofMinutes(1))) {
      long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
      latency[3] = perMinute;
      metrics.record(
          new FakeMetrics.Point(
              WEB.project(),
              WEB.region(),
              WEB.name(),
              revision,
              minute.plusSeconds(30),
              new RequestCounts(perMinute, 0, serverErrors),
              latency,
              60,
              0,
              1));
    }
  }

  @Test
  void aRolloutReadsStablesDayBeforeItOnceWhileItsFirstStepRunsAndKeepsItInStatus() {
    spec = withStableHistory(spec, "24h");
    Instant stepStart = startRolloutAfterADayOfStable();

    runWebAt(stepStart.plus(Duration.ofSeconds(30)));
    assertThat(store.current().getRollout().stableHistory())
        .as("not before the minutes before the step have arrived")
        .isNull();
    runWebAt(stepStart.plus(Duration.ofMinutes(2)));

    var history = store.current().getRollout().stableHistory();
    Instant end = stepStart.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
    assertThat(history.revision()).isEqualTo("web-00001");
    assertThat(history.endTime()).isEqualTo(end.toString());
    assertThat(history.startTime()).isEqualTo(end.minus(Duration.ofHours(24)).toString());
    assertThat(history.requests().requests()).isEqualTo(24 * 60 * 600L);
    assertThat(history.requests().serverErrors()).isEqualTo(24 * 60 * 3L);
    assertThat(history.setAside()).isNull();

    // Points arriving late for the window change nothing: the history was taken once.
    serve("web-00001", end.minus(Duration.ofHours(2)), end, 600, 300);
    runWebAt(stepStart.plus(Duration.ofMinutes(3)));
    assertThat(store.current().getRollout().stableHistory()).isEqualTo(history);
  }

  @Test
  void aRolloutWrittenWithoutStableHistoryCountsNoneOfIt() {
    Instant stepStart = startRolloutAfterADayOfStable();

    runWebAt(stepStart.plus(Duration.ofMinutes(3)));

    assertThat(store.current().getRollout().stableHistory())
        .as("stableHistory defaults to 0s: the rollout's own requests only")
        .isNull();
  }

  @Test
  void aStepsLastMinuteArrivingAfterTheRolloutMovedOnCountsInTheEarlierStepsAcrossARestart() {
    spec =
        withSteps(
            spec,
            List.of(
                new RolloutStep(10, "5m", null),
                new RolloutStep(50, "10m", null),
                new RolloutStep(100, null, null)));
    serve("web-00001", START, START.plus(Duration.ofHours(1)), 900, 9);
    serve("web-00002", START, START.plus(Duration.ofHours(1)), 100, 1);
    run();
    deployCanary();
    run();
    Instant stepStart = Instant.parse(store.current().getStepStartTime());
    Instant at = stepStart;
    while (store.current().getStep() == 0) {
      at = at.plus(Duration.ofMinutes(1));
      runWebAt(at);
    }
    Instant lastMinuteEnd = at.truncatedTo(ChronoUnit.MINUTES);
    var movedOn = store.current().getRollout().earlierSteps();
    assertThat(movedOn.arriving())
        .as("the minute before the move, not yet arrived when it was decided")
        .isEqualTo(
            new MinutesStatus(
                lastMinuteEnd.minus(Duration.ofMinutes(1)).toString(), lastMinuteEnd.toString()));

    cycle = newCycle();
    runWebAt(at.plus(Duration.ofMinutes(1)));

    var counted = store.current().getRollout().earlierSteps();
    long minutes = Duration.between(stepStart, lastMinuteEnd).toMinutes();
    assertThat(counted.arriving()).isNull();
    assertThat(counted.canary().requests())
        .as("every whole minute of the first step, its last one too")
        .isEqualTo(minutes * 100)
        .isEqualTo(movedOn.canary().requests() + 100);
    assertThat(counted.stable().requests()).isEqualTo(minutes * 900);
  }

  /** Stable served for 30 hours, then a canary's first step: returns when the step started. */
  private Instant startRolloutAfterADayOfStable() {
    serve("web-00001", START.minus(Duration.ofHours(30)), START.plus(Duration.ofHours(1)), 600, 3);
    run();
    deployCanary();
    run();
    return Instant.parse(store.current().getStepStartTime());
  }

  @Test
  void aPersonLetsARevisionPastAFailingBlockGateWithAnAnnotationConsumedOnce() {
    var base = spec(LumenPolicySpec.Mode.Enforce);
    spec =
        new LumenPolicySpec(
            base.service(),
            base.mode(),
            List.of("web-slo"),
            base.rollout(),
            new GatesSpec(new SloGate(SloGate.FailOn.Critical, null, null), null, null, null),
            base.tuning(),
            base.notifications(),
            base.cache());
    var critical = new SLOTargetStatus();
    critical.setState(SLOTargetStatus.SloState.Critical);
    critical.setCompliance("50.0");
    sloTargets = Map.of("web-slo", critical);
    run();
    deployCanary();

    run();
    run();
    assertThat(fakeCloudRun.trafficChanges()).as("the error-budget policy freezes it").isEmpty();
    assertThat(condition(store.current(), Conditions.PROGRESSING).reason())
        .isEqualTo("BlockedByGate");

    commands = EnumSet.of(Command.OVERRIDE_GATES);
    run();
    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getRollout().gatesOverriddenFor()).isEqualTo("web-00002");
    assertThat(sink.events).anyMatch(e -> e.startsWith("GatesOverridden: a person lets web-00002"));
    assertThat(sink.removed).containsExactly(List.of(Command.OVERRIDE_GATES.annotation()));

    commands = EnumSet.noneOf(Command.class);
    run();
    assertThat(sink.removed).as("consumed once").hasSize(1);
    assertThat(condition(store.current(), Conditions.PROGRESSING).reason()).isEqualTo("Step0");
  }

  @Test
  void dryRunChangesNothingAndSaysWhatItWouldDo() {
    spec = spec(LumenPolicySpec.Mode.DryRun);
    run();
    deployCanary();

    run();

    assertThat(fakeCloudRun.writes()).isZero();
    assertThat(store.current().getPending()).isNull();
    assertThat(sink.reasons()).contains("DryRunSetTraffic");
    assertThat(sink.decisions).contains("SetTraffic:false").allMatch(d -> d.endsWith(":false"));
  }

  @Test
  void aSpecThatIsNotAcceptedIsReportedWithoutLookingAtCloudRun() {
    var invalid =
        new Readiness(Condition.Status.False, Conditions.REASON_INVALID_SPEC, "spec.mode: bad");
    var waitsForSecret =
        new Readiness(
            Condition.Status.False, Conditions.REASON_SECRET_NOT_FOUND, "Secret hooks not found");

    var rejected = cycle.run(input(invalid), store, sink);
    assertThat(rejected.next()).isEmpty();
    assertThat(ready(store.current()).reason()).isEqualTo(Conditions.REASON_INVALID_SPEC);
    assertThat(cloudRun.reads).isZero();
    assertThat(sink.reports).isEqualTo(1);

    var waiting = cycle.run(input(waitsForSecret), store, sink);
    assertThat(waiting.next()).contains(Duration.ofSeconds(10));
    assertThat(ready(store.current()).message()).isEqualTo("Secret hooks not found");
  }

  @Test
  void anUnreadableServiceIsRetriedOrReportedNotReadyAndNothingIsDecided() {
    cloudRun.failGet = () -> PortException.transientFailure("UNAVAILABLE", null);
    var transientFailure = run();
    assertThat(transientFailure.next()).contains(PolicyCycle.FAILURE_RETRY);
    assertThat(sink.reasons()).containsExactly(PolicyCycle.CLOUD_RUN_UNAVAILABLE);
    assertThat(store.writes()).isZero();

    cloudRun.failGet = () -> PortException.permanentFailure("NOT_FOUND: no service web", null);
    run();
    assertThat(ready(store.current()).reason()).isEqualTo("CloudRunServiceUnreadable");
    assertThat(ready(store.current()).message()).contains("NOT_FOUND");
  }

  /** A new operator finishes the recorded change, and Cloud Run has seen it made once. */
  void restartAndExpectTheFirstStepMadeOnce() {
    assertThat(kinds(store.current().getPending())).containsExactly(Changes.SET_TRAFFIC);

    cycle = newCycle();
    run();

    assertThat(fakeCloudRun.trafficChanges())
        .containsExactly(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(store.current().getPending()).isNull();
  }

  Outcome run() {
    return cycle.run(input(), store, sink);
  }

  PolicyCycle.Input input() {
    return input(Readiness.accepted("Spec accepted"));
  }

  PolicyCycle.Input input(Readiness readiness) {
    clock.set(clock.instant().plus(Duration.ofMinutes(1)));
    return new PolicyCycle.Input(
        "LumenPolicy/default/web", "uid-web", 1, spec, readiness, commands, REDIS, sloTargets);
  }

  Outcome runWebAt(Instant at) {
    clock.set(at);
    return cycle.run(
        new PolicyCycle.Input(
            "LumenPolicy/default/web",
            "uid-web",
            1,
            spec,
            Readiness.accepted("Spec accepted"),
            commands,
            REDIS,
            sloTargets),
        store,
        sink);
  }

  /**
   * A second policy, in DryRun, watches another service of the same project and region: from now on
   * the location's services are read by listing.
   */
  void watchApiToo() {
    fakeCloudRun.create(API, "api-00001", START.minus(Duration.ofDays(1)));
    runApiAt(clock.instant());
  }

  void runApiAt(Instant at) {
    clock.set(at);
    cycle.run(
        new PolicyCycle.Input(
            "LumenPolicy/default/api",
            "uid-api",
            1,
            spec(LumenPolicySpec.Mode.DryRun, API),
            Readiness.accepted("Spec accepted"),
            Set.of(),
            Optional.empty(),
            Map.of()),
        apiStore,
        new RecordingSink());
  }

  void deployCanary() {
    fakeCloudRun.deploy(WEB, "web-00002", clock.instant());
  }

  static Condition condition(LumenPolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  static Condition ready(LumenPolicyStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.type().equals(Conditions.READY))
        .findFirst()
        .orElseThrow();
  }

  static List<String> kinds(PendingStatus pending) {
    return pending == null
        ? List.of()
        : pending.changes().stream().map(ChangeStatus::kind).toList();
  }

  static ChangeStatus ttlChange(String ttl) {
    return new ChangeStatus(Changes.SET_CACHE_TTL, null, null, ttl, "hit rate 60 % is below 70 %");
  }

  static LumenPolicyStatus withPending(LumenPolicyStatus status, ChangeStatus change) {
    LumenPolicyStatus copy = StatusCopies.copy(status);
    copy.setPending(new PendingStatus(List.of(change), List.of()));
    return copy;
  }

  static LumenPolicySpec withStableHistory(LumenPolicySpec spec, String history) {
    return withAnalysis(spec, spec.rollout().analysis().withStableHistory(history));
  }

  static LumenPolicySpec withAnalysisInterval(LumenPolicySpec spec, String interval) {
    var a = spec.rollout().analysis();
    return withAnalysis(
        spec,
        new AnalysisSpec(
            interval,
            a.minRequests(),
            a.failureLimit(),
            a.maxErrorRate(),
            a.maxLatencyP95(),
            a.minSuccessRate(),
            a.compareWithStable(),
            a.tolerance(),
            a.confidence(),
            a.minConfidenceScore(),
            a.mustCatch(),
            a.stableHistory()));
  }

  private static LumenPolicySpec withAnalysis(LumenPolicySpec spec, AnalysisSpec analysis) {
    return withRollout(spec, spec.rollout().steps(), analysis);
  }

  static LumenPolicySpec withSteps(LumenPolicySpec spec, List<RolloutStep> steps) {
    return withRollout(spec, steps, spec.rollout().analysis());
  }

  private static LumenPolicySpec withRollout(
      LumenPolicySpec spec, List<RolloutStep> steps, AnalysisSpec analysis) {
    var r = spec.rollout();
    return new LumenPolicySpec(
        spec.service(),
        spec.mode(),
        spec.sloTargets(),
        new RolloutSpec(
            steps,
            analysis,
            r.rollback(),
            r.progressDeadline(),
            r.onProgressDeadline(),
            r.postPromotion(),
            r.revisionTags()),
        spec.gates(),
        spec.tuning(),
        spec.notifications(),
        spec.cache());
  }

  static LumenPolicySpec spec(LumenPolicySpec.Mode mode) {
    return spec(mode, WEB);
  }

  static LumenPolicySpec spec(LumenPolicySpec.Mode mode, CloudRunServiceReference service) {
    var analysis =
        new AnalysisSpec("1m", 100, 2, "1", "15s", "95", true, "25", "95", "0.75", null, "0s");
    var rollout =
        new RolloutSpec(
            List.of(new RolloutStep(50, "10m", null), new RolloutStep(100, null, null)),
            analysis,
            new RollbackSpec(true, "5m", new RollbackTriggers("99", "1", true, true)),
            "30m",
            RolloutSpec.OnProgressDeadline.Hold,
            null,
            null);
    var cache =
        new CacheTtlTuning(
            new RedisReference(new SecretKeyReference("redis", "url"), TTL_KEY),
            "5m",
            "1h",
            "70",
            "90",
            "30m");
    return new LumenPolicySpec(
        new ServiceReference(service),
        mode,
        null,
        rollout,
        null,
        new TuningSpec(null, cache),
        null,
        null);
  }

  /** The operator process dying (kill -9 has no exception; this is one nothing may catch). */
  static final class Death extends Error {
    Death() {
      super("the operator died here");
    }
  }

  /** Cloud Run whose reads and traffic writes fail when told to, once per failure queued. */
  static final class FaultyCloudRun extends ForwardingCloudRunServices {
    final Deque<Supplier<? extends Throwable>> setTrafficFailures = new ArrayDeque<>();
    Supplier<RuntimeException> failGet;
    int reads;

    FaultyCloudRun(CloudRunServices delegate) {
      super(delegate);
    }

    void failSetTraffic(Supplier<? extends Throwable> failure) {
      setTrafficFailures.add(failure);
    }

    @Override
    public ServiceState get(CloudRunServiceReference ref) {
      reads++;
      if (failGet != null) {
        throw failGet.get();
      }
      return delegate.get(ref);
    }

    @Override
    public Map<String, ServiceState> list(String project, String region) {
      reads++;
      if (failGet != null) {
        throw failGet.get();
      }
      return delegate.list(project, region);
    }

    @Override
    public void setTraffic(
        CloudRunServiceReference ref, Map<String, Integer> split, Map<String, String> tags) {
      if (!setTrafficFailures.isEmpty()) {
        Throwable failure = setTrafficFailures.poll().get();
        if (failure instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) failure;
      }
      delegate.setTraffic(ref, split, tags);
    }
  }

  /** A store through which the operator dies at its {@code dieAt}-th write, before it is made. */
  /** The API server is out: every status write fails without an answer. */
  static final class OutageStore implements StatusStore<LumenPolicyStatus> {
    final StatusStore<LumenPolicyStatus> delegate;

    OutageStore(StatusStore<LumenPolicyStatus> delegate) {
      this.delegate = delegate;
    }

    @Override
    public LumenPolicyStatus current() {
      return delegate.current();
    }

    @Override
    public LumenPolicyStatus write(LumenPolicyStatus next) {
      throw new StatusStore.Unreachable("connection refused", null);
    }
  }

  static final class DyingStore implements StatusStore<LumenPolicyStatus> {
    final StatusStore<LumenPolicyStatus> delegate;
    final int dieAt;
    int writes;

    DyingStore(StatusStore<LumenPolicyStatus> delegate, int dieAt) {
      this.delegate = delegate;
      this.dieAt = dieAt;
    }

    @Override
    public LumenPolicyStatus current() {
      return delegate.current();
    }

    @Override
    public LumenPolicyStatus write(LumenPolicyStatus next) {
      if (++writes >= dieAt) {
        throw new Death();
      }
      return delegate.write(next);
    }
  }

  /** What a cycle reported, and the pending changes recorded when it acted. */
  final class RecordingSink implements PolicySink {
    final List<String> events = new ArrayList<>();
    final List<String> decisions = new ArrayList<>();
    final List<List<String>> removed = new ArrayList<>();
    final List<String> notified = new ArrayList<>();
    final List<RuntimeException> failures = new ArrayList<>();
    boolean failRemovals;
    int reports;

    @Override
    public void event(boolean warning, String reason, String message) {
      events.add(reason + ": " + message);
    }

    @Override
    public void notify(Severity severity, String kind, String message) {
      LumenPolicyStatus now = store.current();
      notified.add(
          kind + " with canary " + now.getCanaryRevision() + " at " + now.getCanaryWeight() + " %");
    }

    @Override
    public void decided(String kind, boolean enforced) {
      decisions.add(kind + ":" + enforced);
    }

    @Override
    public void removeAnnotations(List<String> keys) {
      if (failRemovals && !keys.isEmpty()) {
        throw new IllegalStateException("the API server did not answer");
      }
      if (!keys.isEmpty()) {
        removed.add(keys);
      }
    }

    @Override
    public void report(LumenPolicyStatus status) {
      reports++;
    }

    @Override
    public void failed(RuntimeException failure) {
      failures.add(failure);
    }

    List<String> reasons() {
      return events.stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
    }

    List<String> messages() {
      return events.stream().map(e -> e.substring(e.indexOf(": ") + 2)).toList();
    }
  }
}
