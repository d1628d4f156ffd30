package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What Lumen measured, decided and did for a LumenPolicy. */
public class LumenPolicyStatus implements ObservedStatus {
  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Where the rollout is: Idle (no rollout), Progressing (a canary at a step, analysis"
          + " running), AwaitingApproval (at an approval step), RollbackPending (a rollback"
          + " announced, waiting for its grace period or a person), Watching (a promoted revision"
          + " watched within spec.rollout.postPromotion.window), Paused (traffic changed outside"
          + " Lumen; waiting for a person).")
  private RolloutPhase phase;

  @JsonPropertyDescription("The revision that serves traffic when no rollout is in progress.")
  private String stableRevision;

  @JsonPropertyDescription("The revision being rolled out, if any.")
  private String canaryRevision;

  @JsonPropertyDescription(
      "Percent of traffic on the canary revision, as Cloud Run serves it. In DryRun, the weight"
          + " Lumen would have set; the rollout conditions' messages then say what is served.")
  private Integer canaryWeight;

  @JsonPropertyDescription("Index (from 0) of the current step in spec.rollout.steps.")
  private Integer step;

  @JsonPropertyDescription(
      "When the current step's split came into force, as Cloud Run confirmed it (RFC 3339): its"
          + " pause, deadline and analysis count from here. In DryRun, when Lumen would have"
          + " started it.")
  private String stepStartTime;

  @JsonPropertyDescription("Where the rollout is and why; what a restart resumes from.")
  private RolloutStatus rollout;

  @JsonPropertyDescription("The latest result of every configured gate.")
  private List<GateStatus> gates = new ArrayList<>();

  @JsonPropertyDescription("Overall health score and grade.")
  private HealthStatus health;

  @JsonPropertyDescription("Maturity score and level.")
  private MaturityStatus maturity;

  @JsonPropertyDescription("ROI of the cache in percent, e.g. \"2036.75\".")
  private String roi;

  @JsonPropertyDescription("Spend against the monthly budget.")
  private BudgetStatus budget;

  @JsonPropertyDescription("What the tuning loops set last.")
  private TuningStatus tuning;

  @JsonPropertyDescription(
      "Changes decided and recorded but not yet confirmed applied; empty almost always. A"
          + " restarted operator finishes them first. A min-instances or TTL change that Cloud"
          + " Run or Redis keeps refusing waits here while decisions go on (ChangeRetrying"
          + " events).")
  private PendingStatus pending;

  @JsonPropertyDescription("The last decisions, newest first (at most 10).")
  private List<DecisionRecord> recentDecisions = new ArrayList<>();

  @JsonPropertyDescription(
      "Standard conditions: Ready, Progressing, Degraded, GatesPassing, RollbackPending.")
  private List<Condition> conditions = new ArrayList<>();

  @Override
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  @Override
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public RolloutPhase getPhase() {
    return phase;
  }

  public void setPhase(RolloutPhase phase) {
    this.phase = phase;
  }

  public String getStableRevision() {
    return stableRevision;
  }

  public void setStableRevision(String stableRevision) {
    this.stableRevision = stableRevision;
  }

  public String getCanaryRevision() {
    return canaryRevision;
  }

  public void setCanaryRevision(String canaryRevision) {
    this.canaryRevision = canaryRevision;
  }

  public Integer getCanaryWeight() {
    return canaryWeight;
  }

  public void setCanaryWeight(Integer canaryWeight) {
    this.canaryWeight = canaryWeight;
  }

  public Integer getStep() {
    return step;
  }

  public void setStep(Integer step) {
    this.step = step;
  }

  public String getStepStartTime() {
    return stepStartTime;
  }

  public void setStepStartTime(String stepStartTime) {
    this.stepStartTime = stepStartTime;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }

  public List<GateStatus> getGates() {
    return gates;
  }

  public void setGates(List<GateStatus> gates) {
    this.gates = gates;
  }

  public HealthStatus getHealth() {
    return health;
  }

  public void setHealth(HealthStatus health) {
    this.health = health;
  }

  public MaturityStatus getMaturity() {
    return maturity;
  }

  public void setMaturity(MaturityStatus maturity) {
    this.maturity = maturity;
  }

  public String getRoi() {
    return roi;
  }

  public void setRoi(String roi) {
    this.roi = roi;
  }

  public BudgetStatus getBudget() {
    return budget;
  }

  public void setBudget(BudgetStatus budget) {
    this.budget = budget;
  }

  public TuningStatus getTuning() {
    return tuning;
  }

  public void setTuning(TuningStatus tuning) {
    this.tuning = tuning;
  }

  public PendingStatus getPending() {
    return pending;
  }

  public void setPending(PendingStatus pending) {
    this.pending = pending;
  }

  public List<DecisionRecord> getRecentDecisions() {
    return recentDecisions;
  }

  public void setRecentDecisions(List<DecisionRecord> recentDecisions) {
    this.recentDecisions = recentDecisions;
  }

  @Override
  public List<Condition> getConditions() {
    return conditions;
  }

  @Override
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
