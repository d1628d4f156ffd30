package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.EarlierStepsStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.GuaranteeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.PendingRollbackStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.RequestCountsStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.StableHistoryStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import dev.lumen.api.v1alpha1.RolloutStatus.WatchStatus;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.Severity;
import dev.lumen.engine.canary.AnalysisResult;
import dev.lumen.engine.canary.CanaryAnalyzer;
import dev.lumen.engine.canary.CanaryAnalyzer.RolloutCounts;
import dev.lumen.engine.canary.ComparisonBasis;
import dev.lumen.engine.canary.Evidence;
import dev.lumen.engine.canary.Guarantee;
import dev.lumen.engine.canary.RollbackTriggerCheck;
import dev.lumen.engine.canary.StableHistory;
import dev.lumen.engine.canary.StableHistoryCheck;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rollout of one policy for one decision. It loads its state from the last status, runs what
 * holds in every phase and then the handler of the rollout's phase ({@link RolloutPhase}: Idle,
 * Progressing, AwaitingApproval, RollbackPending, Watching, Paused; see docs/architecture.md for
 * the diagram), and writes the new state back; everything it needs to resume after a restart lives
 * in status.
 */
final class RolloutMachine {
  /** Commands are applied in this order whatever order they arrived in. */
  static final List<Command> COMMAND_ORDER =
      List.of(
          Command.HOLD,
          Command.RELEASE,
          Command.RETRY,
          Command.ABORT,
          Command.OVERRIDE_GATES,
          Command.PROMOTE,
          Command.APPROVE);

  private final RolloutSpec spec;
  private final boolean enforced;
  private final PolicyObservations observed;
  private final List<ActingGate> gates;
  private final CanaryAnalyzer analyzer;
  private final Instant now;
  private final List<Action> actions = new ArrayList<>();
  private final Set<Command> consumed = EnumSet.noneOf(Command.class);

  private String stable;
  private String canary;
  private Integer weight;
  private Integer step;
  private Instant stepStart;
  private String failedRevision;
  private int stepFailures;
  private RequestCounts earlierCanary = RequestCounts.NONE;
  private RequestCounts earlierStable = RequestCounts.NONE;
  private Evidence earlierEvidence = Evidence.NONE;
  private Minutes arriving;
  private Evidence stepEvidence;
  private final ComparisonBasis basis;
  private AnalysisStatus lastAnalysis;
  private Instant lastAnalysisTime;
  private PendingRollbackStatus pending;
  private boolean held;
  private String pausedReason;
  private String deadlineExceeded;
  private String blockedBy;
  private boolean wasBlocked;
  private String gatesOverriddenFor;
  private WatchStatus watch;
  private GuaranteeStatus guarantee;
  private StableHistory stableHistory;
  private String historySetAside;
  private Map<String, Integer> trafficSet = Map.of();

  RolloutMachine(
      RolloutSpec spec,
      boolean enforced,
      PolicyObservations observed,
      List<ActingGate> gates,
      CanaryAnalyzer analyzer,
      Instant now,
      LumenPolicyStatus previous) {
    this.spec = spec;
    this.enforced = enforced;
    this.observed = observed;
    this.gates = gates;
    this.analyzer = analyzer;
    this.now = now;
    this.basis = ComparisonBasis.of(spec.analysis());
    stable = previous.getStableRevision();
    canary = previous.getCanaryRevision();
    weight = previous.getCanaryWeight();
    step = previous.getStep();
    stepStart =
        previous.getStepStartTime() == null ? null : Instant.parse(previous.getStepStartTime());
    RolloutStatus rollout = previous.getRollout();
    if (rollout != null) {
      failedRevision = rollout.failedRevision();
      stepFailures = rollout.stepFailures() == null ? 0 : rollout.stepFailures();
      lastAnalysis = rollout.lastAnalysis();
      lastAnalysisTime = lastAnalysis == null ? null : Instant.parse(lastAnalysis.time());
      pending = rollout.pendingRollback();
      held = Boolean.TRUE.equals(rollout.held());
      pausedReason = rollout.pausedReason();
      deadlineExceeded = rollout.deadlineExceeded();
      blockedBy = rollout.blockedBy();
      gatesOverriddenFor = rollout.gatesOverriddenFor();
      watch = rollout.watch();
      guarantee = rollout.guarantee();
      if (rollout.earlierSteps() != null) {
        earlierCanary = counts(rollout.earlierSteps().canary());
        earlierStable = counts(rollout.earlierSteps().stable());
        earlierEvidence = Evidence.fromStatus(rollout.earlierSteps().evidence(), basis);
        arriving = LateMinutes.awaited(rollout.earlierSteps());
      }
      if (rollout.stableHistory() != null) {
        stableHistory = history(rollout.stableHistory());
        historySetAside = stableHistory == null ? null : rollout.stableHistory().setAside();
      }
      if (rollout.trafficSetByLumen() != null) {
        Map<String, Integer> set = new TreeMap<>();
        rollout.trafficSetByLumen().forEach(t -> set.put(t.revision(), t.percent()));
        trafficSet = TrafficSplit.withoutZeros(set);
      }
    }
  }

  List<Action> actions() {
    return actions;
  }

  Set<Command> consumed() {
    return consumed;
  }

  /**
   * One decision: what holds in every phase first (a stable revision, traffic Lumen did not set,
   * the commands, a newer revision superseding the canary), then the handler of the phase the
   * rollout is in.
   */
  void run(Set<Command> commands) {
    adoptStableIfUnknown();
    if (enforced) {
      detectTrafficChangedOutsideLumen();
    }
    for (Command command : COMMAND_ORDER) {
      if (commands.contains(command)) {
        consumed.add(command);
        apply(command);
      }
    }
    if (phase() == RolloutPhase.Paused) {
      return;
    }
    // Whether a gate blocks is decided afresh every time; telling of it, only when it changes.
    wasBlocked = blockedBy != null;
    blockedBy = null;
    startNewerRevision();
    takeLateMinutes();
    switch (phase()) {
      case Idle, Paused -> {}
      case Watching -> whileWatching();
      case Progressing -> whileProgressing();
      case AwaitingApproval -> whileAwaitingApproval();
      case RollbackPending -> whileRollbackPending();
    }
    if (wasBlocked && blockedBy == null) {
      announce(
          Severity.Info,
          "Unblocked",
          "no failing gate holds the rollout back any more",
          "would no longer block: no failing gate holds the rollout back");
    }
  }

  /** The phase, from the state: what a reader of status sees as {@code status.phase}. */
  RolloutPhase phase() {
    if (pausedReason != null) {
      return RolloutPhase.Paused;
    }
    if (canary == null && watch == null) {
      return RolloutPhase.Idle;
    }
    if (pending != null) {
      return RolloutPhase.RollbackPending;
    }
    if (canary == null) {
      return RolloutPhase.Watching;
    }
    return currentStep().approval() != null
        ? RolloutPhase.AwaitingApproval
        : RolloutPhase.Progressing;
  }

  void writeTo(LumenPolicyStatus status) {
    status.setPhase(phase());
    status.setStableRevision(stable);
    status.setCanaryRevision(canary);
    status.setCanaryWeight(canary == null ? null : weight);
    status.setStep(canary == null ? null : step);
    status.setStepStartTime(canary == null || stepStart == null ? null : stepStart.toString());
    List<TrafficShare> traffic =
        trafficSet.entrySet().stream()
            .map(e -> new TrafficShare(e.getKey(), e.getValue()))
            .toList();
    status.setRollout(
        new RolloutStatus(
            failedRevision,
            stepFailures,
            lastAnalysis,
            pending,
            held,
            pausedReason,
            deadlineExceeded,
            traffic.isEmpty() ? null : traffic,
            canary == null
                    || (earlierCanary.total() == 0 && earlierEvidence.isNone() && arriving == null)
                ? null
                : new EarlierStepsStatus(
                    status(earlierCanary),
                    status(earlierStable),
                    earlierEvidence.isNone() ? null : earlierEvidence.toStatus(basis),
                    LateMinutes.status(arriving)),
            blockedBy,
            gatesOverriddenFor,
            watch,
            canary == null ? null : guarantee,
            canary == null || stableHistory == null ? null : historyStatus()));
  }

  private StableHistoryStatus historyStatus() {
    return new StableHistoryStatus(
        stableHistory.revision(),
        stableHistory.start().toString(),
        stableHistory.end().toString(),
        status(stableHistory.requests()),
        historySetAside);
  }

  /** Stable's history read back from status; one edited into nonsense is dropped. */
  private static StableHistory history(StableHistoryStatus status) {
    RequestCounts requests = counts(status.requests());
    try {
      return status.revision() == null || requests.total() == 0
          ? null
          : new StableHistory(
              status.revision(),
              Instant.parse(status.startTime()),
              Instant.parse(status.endTime()),
              requests);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Counts read back from status; a status edited into nonsense is evidence dropped. */
  private static RequestCounts counts(RequestCountsStatus status) {
    if (status == null || status.requests() == null) {
      return RequestCounts.NONE;
    }
    long clientErrors = status.clientErrors() == null ? 0 : status.clientErrors();
    long serverErrors = status.serverErrors() == null ? 0 : status.serverErrors();
    if (clientErrors < 0 || serverErrors < 0 || clientErrors + serverErrors > status.requests()) {
      return RequestCounts.NONE;
    }
    return new RequestCounts(status.requests(), clientErrors, serverErrors);
  }

  private static RequestCountsStatus status(RequestCounts counts) {
    return new RequestCountsStatus(counts.total(), counts.clientErrors(), counts.serverErrors());
  }

  private void adoptStableIfUnknown() {
    if (stable != null) {
      return;
    }
    Map<String, Integer> live = live();
    String adopted =
        live.entrySet().stream()
            .max(
                (a, b) ->
                    a.getValue().equals(b.getValue())
                        ? Boolean.compare(a.getKey().equals(latest()), b.getKey().equals(latest()))
                        : Integer.compare(a.getValue(), b.getValue()))
            .map(Map.Entry::getKey)
            .orElse(latest());
    if (adopted != null) {
      stable = adopted;
      event(
          false,
          "StableAdopted",
          "adopted revision "
              + adopted
              + " (serving "
              + live.getOrDefault(adopted, 0)
              + " %) as the stable revision");
    }
  }

  /** A split Lumen did not set is someone's decision: Lumen adopts it or pauses, never fights. */
  private void detectTrafficChangedOutsideLumen() {
    if (trafficSet.isEmpty()) {
      return;
    }
    Map<String, Integer> live = live();
    if (live.equals(trafficSet)) {
      if (pausedReason != null) {
        pausedReason = null;
        event(false, "Resumed", "the live traffic split is again the one Lumen set; resuming");
      }
      return;
    }
    if (live.size() == 1) {
      String only = live.keySet().iterator().next();
      String what;
      if (canary != null && only.equals(stable)) {
        failedRevision = canary;
        what = "canary " + canary + " was rolled back outside Lumen";
      } else if (canary != null && only.equals(canary)) {
        what = "canary " + canary + " was promoted outside Lumen";
      } else if (watched() && only.equals(watch.previousRevision())) {
        failedRevision = watch.revision();
        what = "promoted revision " + watch.revision() + " was rolled back outside Lumen";
      } else {
        what = "all traffic was moved to " + only + " outside Lumen";
      }
      stable = only;
      clearCanary();
      watch = null;
      trafficSet = live;
      pausedReason = null;
      event(
          true,
          "TrafficChangedOutsideLumen",
          what + "; adopted " + only + " as the stable revision");
      return;
    }
    if (pausedReason == null) {
      pausedReason =
          "traffic was changed outside Lumen: Lumen set "
              + trafficSet
              + ", the service routes "
              + live
              + "; Lumen does not fight it. Restore the split, send all traffic to one revision,"
              + " or annotate lumen.dev/retry to continue from the live split";
      event(true, "TrafficChangedOutsideLumen", pausedReason);
      actions.add(new Action.Notify(Severity.Warning, "RolloutPaused", pausedReason));
    }
  }

  private void apply(Command command) {
    switch (command) {
      case HOLD -> {
        held = true;
        event(
            false, "RollbackHeld", "a person holds automatic rollbacks (lumen.dev/hold-rollback)");
      }
      case RELEASE -> {
        held = false;
        event(false, "RollbackReleased", "automatic rollbacks may execute again");
      }
      case RETRY -> retry();
      case ABORT -> {
        if (canary == null && watch == null) {
          event(false, "NothingToAbort", "lumen.dev/abort ignored: no rollout in progress");
        } else {
          rollBack("aborted by a person (lumen.dev/abort)");
        }
      }
      case PROMOTE -> {
        if (watched()) {
          event(
              false,
              "WatchEnded",
              "a person accepts "
                  + watch.revision()
                  + " (lumen.dev/promote): it is no longer watched"
                  + (pending == null ? "" : ", and the announced rollback is cancelled")
                  + "; "
                  + watch.previousRevision()
                  + " is forgotten");
          watch = null;
          pending = null;
        } else if (canary == null) {
          event(false, "NothingToPromote", "lumen.dev/promote ignored: no rollout in progress");
        } else {
          promote("promoted by a person (lumen.dev/promote)", false);
        }
      }
      case OVERRIDE_GATES -> {
        String revision = canary != null ? canary : latest();
        gatesOverriddenFor = revision;
        event(
            false,
            "GatesOverridden",
            "a person lets "
                + revision
                + " go past failing Block gates (lumen.dev/override-gates)"
                + (blockedBy == null ? "" : "; it was held back by " + blockedBy));
      }
      case APPROVE -> {
        if (canary != null
            && currentStep().approval() != null
            && pending == null
            && blocking(canary).isPresent()) {
          event(
              false,
              "ApprovalBlocked",
              "lumen.dev/approve not followed: "
                  + blocking(canary).get().describe()
                  + "; annotate lumen.dev/override-gates to go past it on purpose");
        } else if (canary != null && currentStep().approval() != null && pending == null) {
          event(false, "Approved", "step " + step + " approved by a person");
          advance();
        } else {
          event(
              false,
              "NothingToApprove",
              "lumen.dev/approve ignored: the rollout is not waiting for approval");
        }
      }
    }
  }

  private void retry() {
    if (pausedReason != null) {
      pausedReason = null;
      trafficSet = live();
      event(
          false,
          "Resumed",
          "resuming from the live traffic split " + trafficSet + " (lumen.dev/retry)");
    }
    if (pending != null && watched()) {
      event(
          false,
          "RollbackCancelled",
          "pending rollback of "
              + watch.revision()
              + " cancelled by a person; it is no longer watched (lumen.dev/retry)");
      pending = null;
      watch = null;
    }
    if (pending != null) {
      pending = null;
      stepFailures = 0;
      stepStart = now;
      // A person overrode the evidence: it starts over with the step, or it would announce the
      // same rollback again at once.
      forgetEarlierSteps();
      event(
          false,
          "RollbackCancelled",
          "pending rollback cancelled by a person; the step starts over (lumen.dev/retry)");
    }
    if (failedRevision != null) {
      event(
          false,
          "RetryAllowed",
          "revision " + failedRevision + " may be rolled out again (lumen.dev/retry)");
      failedRevision = null;
    }
  }

  private void startNewerRevision() {
    String latest = latest();
    if (latest == null
        || latest.equals(stable)
        || latest.equals(canary)
        || latest.equals(failedRevision)
        || !observed.service().isNewer(latest, stable)) {
      return;
    }
    // A promoted revision with a rollback announced goes first: the new rollout then starts from
    // the revision it is rolled back to, not from one found bad.
    if (watched() && pending != null) {
      return;
    }
    if (heldBy(blocking(latest), "revision " + latest + " does not start its rollout")) {
      return;
    }
    if (canary != null) {
      event(false, "Superseded", "revision " + latest + " supersedes canary " + canary);
    }
    if (watch != null) {
      event(
          false,
          "WatchEnded",
          "revision "
              + latest
              + " rolls out from "
              + watch.revision()
              + ", so the watch of "
              + watch.revision()
              + " ends; "
              + watch.previousRevision()
              + " is forgotten");
      watch = null;
    }
    canary = latest;
    weight = 0;
    pending = null;
    lastAnalysis = null;
    lastAnalysisTime = null;
    forgetEarlierSteps();
    guarantee = null;
    stableHistory = null;
    historySetAside = null;
    event(
        false,
        enforced ? "RolloutStarted" : "DryRunRolloutStarted",
        "new revision "
            + latest
            + (enforced ? ": rolling out from " : ": would roll out from ")
            + stable);
    enterStep(0);
  }

  private void enterStep(int index) {
    step = index;
    stepStart = now;
    stepFailures = 0;
    deadlineExceeded = null;
    RolloutStep s = currentStep();
    if (s.weight() == null) {
      String text =
          "step "
              + index
              + ": waiting for approval at "
              + weight
              + " % (annotate lumen.dev/approve)";
      event(false, "WaitingForApproval", text);
      actions.add(new Action.Notify(Severity.Info, "WaitingForApproval", canary + ": " + text));
      return;
    }
    weight = s.weight();
    String text =
        weight == 100
            ? "step " + index + ": all traffic to " + canary
            : "step "
                + index
                + ": "
                + weight
                + " % to canary "
                + canary
                + ", "
                + (100 - weight)
                + " % to "
                + stable;
    boolean promotedAtOnce = weight == 100 && s.pause() == null;
    setTraffic(
        weight == 100 ? Map.of(canary, 100) : Map.of(stable, 100 - weight, canary, weight),
        "SetTraffic",
        "move to " + text,
        !promotedAtOnce);
    if (promotedAtOnce) {
      promote("reached the last step", true);
    } else if (enforced) {
      // A traffic change is news for the team even when all is well; the dry run has its own
      // DryRun events and should not read as if traffic moved.
      announce(Severity.Info, "TrafficShifted", text);
    }
  }

  /** An announced rollback executes when its grace period is over, unless a person holds it. */
  private void whileRollbackPending() {
    if (pending.executeAfter() != null
        && !held
        && !now.isBefore(Instant.parse(pending.executeAfter()))) {
      rollBack(pending.reason());
    }
  }

  /**
   * A promoted revision within its watch: the rollback triggers against the previous revision's
   * requests during the rollout, and the Rollback gates; a breach is announced like a canary's. The
   * last look comes before the watch ends, so a breach in its last minute still counts.
   */
  private void whileWatching() {
    if (spec.postPromotion() == null) {
      event(
          false,
          "WatchEnded",
          "spec.rollout.postPromotion was removed: "
              + watch.revision()
              + " is no longer watched; "
              + watch.previousRevision()
              + " is forgotten");
      watch = null;
      return;
    }
    Optional<String> breach = watchBreach();
    if (breach.isPresent()) {
      announceRollback(breach.get());
      return;
    }
    if (!now.isBefore(Instant.parse(watch.endTime()))) {
      event(
          false,
          "WatchPassed",
          watch.revision()
              + " held up for "
              + spec.postPromotion().window()
              + " after promotion; "
              + watch.previousRevision()
              + " is no longer kept to roll back to");
      watch = null;
    }
  }

  private Optional<String> watchBreach() {
    Optional<String> breach =
        RollbackTriggerCheck.breach(
            spec.rollback().triggers(),
            requests(observed.canary()),
            RollbackTriggerCheck.Subject.promoted(watch.revision()));
    return breach.isPresent() ? breach : rollbackGate();
  }

  /** At an approval step only the rollback triggers run; lumen.dev/approve moves on. */
  private void whileAwaitingApproval() {
    Optional<String> trigger = rollbackTrigger();
    if (trigger.isPresent()) {
      announceRollback(trigger.get());
      return;
    }
    heldBy(blocking(canary), canary + " waits at " + weight + " % in step " + step);
  }

  /**
   * A canary at a weight: the rollback triggers, the step's analysis when due, then the next step
   * once the step has baked with a passing analysis, or the progress deadline.
   */
  private void whileProgressing() {
    takeStableHistory();
    Optional<String> trigger = rollbackTrigger();
    if (trigger.isPresent()) {
      announceRollback(trigger.get());
      return;
    }
    analyzeIfDue();
    if (phase() != RolloutPhase.Progressing) {
      return;
    }
    // Held at its step: no next step, no promotion and no deadline while a Block gate fails.
    if (heldBy(
        blocking(canary),
        canary
            + " holds at "
            + weight
            + " % in step "
            + step
            + " (rollback triggers still apply)")) {
      return;
    }
    RolloutStep current = currentStep();
    Duration pause = current.pause() == null ? Duration.ZERO : Durations.parse(current.pause());
    boolean bakedLongEnough = !now.isBefore(stepStart.plus(pause));
    if (bakedLongEnough && mayMoveOn()) {
      if (weight == 100) {
        promote("baked at 100 % for " + current.pause() + " with passing analysis", true);
      } else {
        advance();
      }
      return;
    }
    Duration deadline = pause.plus(Durations.parse(spec.progressDeadline()));
    if (now.isBefore(stepStart.plus(deadline))) {
      return;
    }
    String why =
        "no passing analysis within progressDeadline "
            + spec.progressDeadline()
            + " after step "
            + step
            + "'s pause"
            + (lastAnalysis == null
                ? ""
                : "; last verdict "
                    + lastAnalysis.verdict()
                    + " (score "
                    + lastAnalysis.score()
                    + ")");
    if (spec.onProgressDeadline() == RolloutSpec.OnProgressDeadline.Rollback) {
      announceRollback(why);
    } else if (deadlineExceeded == null) {
      // Only inconclusive analyses get here (failed ones roll back first): rolling back would
      // remove a canary nothing was found wrong with, the low-traffic false rollback.
      deadlineExceeded =
          why
              + "; "
              + canary
              + " holds at "
              + weight
              + " % while the analysis goes on: the rollout moves on when an analysis passes and"
              + " rolls back when analyses fail. Annotate lumen.dev/promote to finish now or"
              + " lumen.dev/abort to roll back";
      announce(
          Severity.Warning,
          "ProgressDeadlineExceeded",
          deadlineExceeded,
          "would hold " + canary + " (DryRun moves no traffic): " + why);
    }
  }

  private Optional<String> rollbackTrigger() {
    var triggers = spec.rollback().triggers();
    if (weight != null && weight > 0) {
      // The whole rollout's requests, not the step's: a canary just over a limit needs thousands
      // of requests to tell, more than an early step serves.
      Optional<String> breach =
          RollbackTriggerCheck.breach(
              triggers, canarySinceRolloutStart(), RollbackTriggerCheck.Subject.CANARY);
      if (breach.isPresent()) {
        return breach;
      }
    }
    return rollbackGate();
  }

  /** Why the first failing gate whose action is Rollback rolls back, or empty. */
  private Optional<String> rollbackGate() {
    for (ActingGate gate : gates) {
      if (gate.action() == GateAction.Rollback && gate.fails()) {
        String name = gate.result().name();
        return Optional.of(
            switch (name) {
                  case "roi" -> "ROI gate failed: ";
                  case "budget" -> "budget exceeded: ";
                  default -> name + " gate failed: ";
                }
                + gate.result().message());
      }
    }
    return Optional.empty();
  }

  /** The first failing gate whose action is Block, unless a person let this revision past. */
  private Optional<ActingGate> blocking(String revision) {
    if (revision != null && revision.equals(gatesOverriddenFor)) {
      return Optional.empty();
    }
    return gates.stream().filter(g -> g.action() == GateAction.Block && g.fails()).findFirst();
  }

  /**
   * Notes that {@code gate} holds the rollout back, telling of it when it starts; returns whether
   * it does.
   */
  private boolean heldBy(Optional<ActingGate> gate, String what) {
    if (gate.isEmpty()) {
      return false;
    }
    String text =
        gate.get().describe()
            + "; "
            + what
            + " (annotate lumen.dev/override-gates to go past it on purpose)";
    // Told once when it begins: not again in the next decisions, nor twice in this one (a newer
    // revision held back while the canary holds).
    if (!wasBlocked && blockedBy == null) {
      announce(Severity.Warning, "BlockedByGate", text, "would block: " + text);
    }
    blockedBy = text;
    return true;
  }

  private void analyzeIfDue() {
    Duration interval = Durations.parse(spec.analysis().interval());
    Instant due =
        AnalysisSchedule.nextDue(stepStart, analyzedThisStep() ? lastAnalysisTime : null, interval);
    if (now.isBefore(due)) {
      return;
    }
    TrafficWindow canaryTraffic =
        observed.canary().orElse(new TrafficWindow(RequestCounts.NONE, Optional.empty()));
    checkStableHistory();
    AnalysisResult result =
        analyzer.analyze(
            spec.analysis(),
            canaryTraffic,
            observed.stable(),
            new RolloutCounts(canarySinceRolloutStart(), stableSinceRolloutStart()),
            historyCounts()
                ? evidenceSoFar()
                    .withPromotionOver(basis, canarySinceRolloutStart(), stableForComparison())
                : evidenceSoFar());
    lastAnalysis = result.toStatus(now);
    lastAnalysisTime = now;
    projectGuarantee();
    if (result.verdict() == Verdict.Fail) {
      stepFailures++;
      String text =
          "analysis failed ("
              + stepFailures
              + " of "
              + (spec.analysis().failureLimit() + 1)
              + " allowed to roll back): "
              + result.failures();
      event(true, "AnalysisFailed", text);
      if (stepFailures > spec.analysis().failureLimit()) {
        announceRollback(
            "analysis failed "
                + stepFailures
                + " times in step "
                + step
                + ": "
                + result.failures());
      }
    }
  }

  /**
   * What the schedule can rule out at the traffic of this step, told when it falls short of
   * mustCatch (at the first analysis that shows it, and again only after it was in reach): the team
   * learns at the first step, not after the last, that the rollout will hold longer than its
   * pauses.
   */
  private void projectGuarantee() {
    Optional<Duration> measured = observed.rolloutWindow().map(Minutes::length);
    if (measured.isEmpty() || measured.get().isZero() || observed.canary().isEmpty()) {
      return;
    }
    double minutes = measured.get().toSeconds() / 60.0;
    double perMinute =
        (requests(observed.canary()).total() + requests(observed.stable()).total()) / minutes;
    List<Guarantee.Segment> schedule = new ArrayList<>();
    for (RolloutStep s : spec.steps()) {
      if (s.weight() == null || s.weight() == 100) {
        continue;
      }
      Duration pause = s.pause() == null ? Duration.ZERO : Durations.parse(s.pause());
      schedule.add(new Guarantee.Segment(s.weight(), pause.toSeconds() / 60.0));
    }
    Guarantee.Projection projection =
        Guarantee.project(
            basis,
            promotionsGuarantee(),
            perMinute,
            stableForComparison(),
            historyCounts() ? stableHistory.requests().total() : 0,
            observed.stable().flatMap(TrafficWindow::latency),
            schedule);
    boolean wasReachable = guarantee == null || !Boolean.FALSE.equals(guarantee.reachable());
    guarantee =
        new GuaranteeStatus(
            projection.errorRate().map(e -> Decimals.format(e, 2) + "x").orElse(null),
            projection.latency().map(l -> Decimals.format(l, 2) + "x").orElse(null),
            projection.reachable(),
            projection.message());
    if (wasReachable && !projection.reachable()) {
      announce(Severity.Warning, "ScheduleTooShort", canary + ": " + projection.message());
    }
  }

  /**
   * Whether every later step sends all traffic to the canary: passing this step's analysis
   * promotes. A later approval step leaves the promotion to a person, who sees the evidence.
   */
  private boolean passingPromotes() {
    return spec.steps().subList(step + 1, spec.steps().size()).stream()
        .allMatch(s -> s.weight() != null && s.weight() == 100);
  }

  private boolean analyzedThisStep() {
    return lastAnalysis != null && !lastAnalysisTime.isBefore(stepStart);
  }

  /**
   * Whether the step may end once it has baked. Before the last one, steps move on on schedule:
   * evidence accumulates over the rollout, so an early step needs only to have been judged without
   * failing on some traffic (at least minRequests). Promotion needs a passing analysis: evidence
   * that the canary is better than what must be caught.
   */
  private boolean mayMoveOn() {
    if (!analyzedThisStep()) {
      return false;
    }
    if (passingPromotes()) {
      return lastAnalysis.verdict() == Verdict.Pass;
    }
    Integer minRequests = spec.analysis().minRequests();
    return lastAnalysis.verdict() != Verdict.Fail
        && lastAnalysis.canaryRequests() != null
        && lastAnalysis.canaryRequests() >= Math.max(1, minRequests == null ? 0 : minRequests);
  }

  private void advance() {
    if (step + 1 >= spec.steps().size()) {
      promote("completed every step", true);
    } else {
      earlierEvidence = evidenceSoFar();
      earlierCanary = canarySinceRolloutStart();
      earlierStable = stableSinceRolloutStart();
      arriving = unmeasuredMinutes();
      enterStep(step + 1);
    }
  }

  /**
   * This step's whole minutes that no analysis has measured yet: those after its window (the data
   * delay), or all of them when its traffic could not be read, up to the minute of this decision,
   * before which traffic is still at the step's split; null when there are none.
   */
  private Minutes unmeasuredMinutes() {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    Instant start =
        observed.rolloutWindow().isPresent() && observed.canary().isPresent()
            ? observed.rolloutWindow().get().end()
            : firstWholeMinute(stepStart);
    return start.isBefore(end) ? new Minutes(start, end) : null;
  }

  private static Instant firstWholeMinute(Instant time) {
    Instant minute = time.truncatedTo(ChronoUnit.MINUTES);
    return minute.equals(time) ? minute : minute.plus(Duration.ofMinutes(1));
  }

  /**
   * The last step's final minutes, once their data has arrived, join the earlier steps' requests
   * and evidence, weighed on their own counts like a step of their own: the evidence then counts
   * every minute of the rollout but those at a change of split. Whether minutes count never depends
   * on what they show, so the tests' bounds still hold. A step that ends before the minutes of the
   * one before it have arrived leaves those out.
   */
  private void takeLateMinutes() {
    Optional<LateMinutes> late = observed.lateMinutes();
    if (arriving == null || late.isEmpty() || !late.get().minutes().equals(arriving)) {
      return;
    }
    earlierEvidence =
        earlierEvidence.plus(
            Evidence.ofStep(
                basis, Optional.of(late.get().canary()), Optional.of(late.get().stable())));
    earlierCanary = earlierCanary.plus(late.get().canary().requests());
    earlierStable = earlierStable.plus(late.get().stable().requests());
    arriving = null;
  }

  private void forgetEarlierSteps() {
    earlierCanary = RequestCounts.NONE;
    earlierStable = RequestCounts.NONE;
    earlierEvidence = Evidence.NONE;
    arriving = null;
  }

  /** The comparisons' evidence from the current step's traffic, as measured so far. */
  private Evidence stepEvidence() {
    // The step's traffic is the same for the whole decision: the analysis and the advance that may
    // follow it weigh it once.
    if (stepEvidence == null) {
      stepEvidence = Evidence.ofStep(basis, observed.canary(), observed.stable());
    }
    return stepEvidence;
  }

  /** The chance allowed of promoting a canary at mustCatch (spec.rollout.analysis.confidence). */
  private double promotionsGuarantee() {
    return 1 - Decimals.parse(spec.analysis().confidence()) / 100;
  }

  /** The evidence of the earlier steps and the current one, as measured so far. */
  private Evidence evidenceSoFar() {
    return earlierEvidence.plus(stepEvidence());
  }

  /**
   * Whether stable's history is in hand, has not been set aside, and the policy still asks for it:
   * one that turns it off during a rollout stops counting it at once.
   */
  private boolean historyCounts() {
    return stableHistory != null && historySetAside == null && historyWanted();
  }

  private boolean historyWanted() {
    return !StableHistory.wanted(spec).isZero();
  }

  /** Stable's history, read while the first step runs, is kept for the rollout. */
  private void takeStableHistory() {
    if (stableHistory == null
        && observed.stableHistory().isPresent()
        && observed.stableHistory().get().revision().equals(stable)
        && observed.stableHistory().get().requests().total() > 0) {
      stableHistory = observed.stableHistory().get();
    }
  }

  /**
   * At each analysis, stable's history is set aside for good once stable's requests during the
   * rollout show its rate has changed.
   */
  private void checkStableHistory() {
    if (historyCounts()
        && StableHistoryCheck.differs(
            stableSinceRolloutStart(), stableHistory.requests(), promotionsGuarantee())) {
      historySetAside =
          StableHistoryCheck.describe(
              stableSinceRolloutStart(),
              stableHistory.requests(),
              Durations.format(Duration.between(stableHistory.start(), stableHistory.end())));
      event(false, "StableHistorySetAside", canary + ": " + historySetAside);
    }
  }

  /**
   * Stable's requests the canary is compared with: the rollout's, and its history while it counts.
   */
  private RequestCounts stableForComparison() {
    RequestCounts during = stableSinceRolloutStart();
    return historyCounts() ? during.plus(stableHistory.requests()) : during;
  }

  /** The earlier steps' requests with the current step's, as measured so far. */
  private RequestCounts canarySinceRolloutStart() {
    return earlierCanary.plus(requests(observed.canary()));
  }

  private RequestCounts stableSinceRolloutStart() {
    return earlierStable.plus(requests(observed.stable()));
  }

  private static RequestCounts requests(Optional<TrafficWindow> window) {
    return window.map(TrafficWindow::requests).orElse(RequestCounts.NONE);
  }

  private void announceRollback(String reason) {
    Duration grace = Durations.parse(spec.rollback().gracePeriod());
    if (!Boolean.TRUE.equals(spec.rollback().automatic())) {
      pending = new PendingRollbackStatus(reason, now.toString(), null);
      String text =
          "rollback recommended for "
              + subject()
              + ": "
              + reason
              + "; automatic rollback is off, annotate lumen.dev/abort to roll back or lumen.dev/retry to go on";
      announce(
          Severity.Critical,
          "RollbackRecommended",
          text,
          "would recommend rolling back " + subject() + ": " + reason);
      return;
    }
    if (grace.isZero()) {
      rollBack(reason);
      return;
    }
    Instant executeAfter = now.plus(grace);
    pending = new PendingRollbackStatus(reason, now.toString(), executeAfter.toString());
    String text =
        "rolling back "
            + subject()
            + " at "
            // Whole seconds: people read this, and the exact instant is in status.
            + executeAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + " unless held (lumen.dev/hold-rollback): "
            + reason;
    announce(
        Severity.Critical,
        "RollbackAnnounced",
        text,
        "would roll back "
            + subject()
            + " at "
            + executeAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + " unless held: "
            + reason);
  }

  private void rollBack(String reason) {
    String failed = subject();
    if (watched()) {
      stable = watch.previousRevision();
    }
    setTraffic(
        Map.of(stable, 100),
        "Rollback",
        "roll back " + failed + " to " + stable + ": " + reason,
        false);
    failedRevision = failed;
    clearCanary();
    watch = null;
    if (enforced) {
      announce(
          Severity.Critical,
          "RolledBack",
          "rolled back " + failed + " to " + stable + ": " + reason);
    } else {
      // The DryRunRollback event comes with the decision's traffic action; Slack hears it too.
      actions.add(
          new Action.Notify(
              Severity.Warning,
              "DryRunRollback",
              "would roll back " + failed + " to " + stable + ": " + reason));
    }
  }

  /**
   * @param watched whether the watch after promotion follows, when the spec asks for one: not when
   *     a person promoted on purpose
   */
  private void promote(String reason, boolean watched) {
    boolean moves = !trafficSet.equals(Map.of(canary, 100));
    // Baked at 100 %, the split holds, but the rollout's tags must go: the same split, untagged
    // (unless this decision already moved to 100 % without them).
    boolean untags =
        !moves && tagging() && actions.stream().noneMatch(Action.SetTraffic.class::isInstance);
    if (moves || untags) {
      setTraffic(
          Map.of(canary, 100), "Promote", "send all traffic to " + canary + ": " + reason, false);
    }
    String promoted = canary;
    String previous = stable;
    String watching = "";
    if (watched && spec.postPromotion() != null) {
      Duration window = Durations.parse(spec.postPromotion().window());
      watch =
          new WatchStatus(
              promoted,
              previous,
              now.toString(),
              now.plus(window).toString(),
              status(stableSinceRolloutStart()));
      watching =
          "; watched for "
              + spec.postPromotion().window()
              + ": a breach of the rollback triggers or a Rollback gate rolls it back to "
              + previous;
    }
    stable = canary;
    clearCanary();
    if (enforced) {
      announce(
          Severity.Info,
          "Promoted",
          "promoted " + promoted + " (replacing " + previous + "): " + reason + watching);
      return;
    }
    String would =
        "would promote " + promoted + " (replacing " + previous + "): " + reason + watching;
    if (!moves && !untags) {
      // No traffic action carries the DryRun event this time.
      event(false, "DryRunPromote", would);
    }
    actions.add(new Action.Notify(Severity.Info, "DryRunPromote", would));
  }

  private void clearCanary() {
    canary = null;
    weight = null;
    step = null;
    stepStart = null;
    stepFailures = 0;
    pending = null;
    deadlineExceeded = null;
    gatesOverriddenFor = null;
    forgetEarlierSteps();
    guarantee = null;
    stableHistory = null;
    historySetAside = null;
  }

  /**
   * A traffic change. {@code tagged}: the rollout goes on, so the canary and stable revisions get
   * their tags (their own URLs, spec.rollout.revisionTags); otherwise it ends, and Lumen's tags go.
   */
  private void setTraffic(Map<String, Integer> split, String kind, String reason, boolean tagged) {
    trafficSet = TrafficSplit.withoutZeros(split);
    Map<String, String> tags = new TreeMap<>();
    LumenTags names = LumenTags.of(spec.revisionTags());
    if (tagged && names.enabled()) {
      tags.put(canary, names.canary());
      tags.put(stable, names.stable());
    }
    actions.add(new Action.SetTraffic(trafficSet, kind, reason, tags));
  }

  private boolean tagging() {
    return LumenTags.of(spec.revisionTags()).enabled();
  }

  private void event(boolean warning, String kind, String text) {
    actions.add(new Action.Event(warning, kind, text));
  }

  /** An event and a notification with the same kind and text. */
  private void announce(Severity severity, String kind, String text) {
    event(severity.warns(), kind, text);
    actions.add(new Action.Notify(severity, kind, text));
  }

  /**
   * An event and a notification; in DryRun typed {@code DryRun<kind>}, one severity lower (never
   * critical), and told as what Lumen would do ({@code would}), since nothing happened.
   */
  private void announce(Severity severity, String kind, String text, String would) {
    if (enforced) {
      announce(severity, kind, text);
    } else {
      announce(
          severity == Severity.Critical ? Severity.Warning : Severity.Info, "DryRun" + kind, would);
    }
  }

  /** Whether a promoted revision is watched, with no rollout in progress. */
  private boolean watched() {
    return canary == null && watch != null;
  }

  /** The revision a rollback would remove: the canary, or the promoted revision under watch. */
  private String subject() {
    return watched() ? watch.revision() : canary;
  }

  private RolloutStep currentStep() {
    return spec.steps().get(step);
  }

  private String latest() {
    return observed.service().latestReadyRevision();
  }

  /** The live split without revisions at 0 %. */
  private Map<String, Integer> live() {
    return TrafficSplit.withoutZeros(observed.service().traffic());
  }
}
