package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What Lumen measured for an SLOTarget. */
public class SLOTargetStatus implements ObservedStatus {
  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Overall state from the share of objectives met: Healthy (all), Warning (at least 75%),"
          + " Critical (less), NoData (not enough measurements to judge).")
  private SloState state;

  @JsonPropertyDescription("Share of objectives met, in percent, e.g. \"75.0\".")
  private String compliance;

  @JsonPropertyDescription("When the objectives were last measured (RFC 3339).")
  private String lastEvaluationTime;

  @JsonPropertyDescription("The latest measurement of every objective.")
  private List<ObjectiveStatus> objectives = new ArrayList<>();

  @JsonPropertyDescription(
      "Standard conditions: Ready (the spec is valid and measured), ObjectivesMet, BudgetBurning;"
          + " AlertRulesPublished when the operator keeps PrometheusRules (--prometheus-rules);"
          + " MonitoringObjectsSynced when it keeps Cloud Monitoring objects"
          + " (--cloud-monitoring-objects).")
  private List<Condition> conditions = new ArrayList<>();

  /** Overall state of an SLOTarget. */
  public enum SloState {
    Healthy,
    Warning,
    Critical,
    NoData
  }

  @Override
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  @Override
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public SloState getState() {
    return state;
  }

  public void setState(SloState state) {
    this.state = state;
  }

  public String getCompliance() {
    return compliance;
  }

  public void setCompliance(String compliance) {
    this.compliance = compliance;
  }

  public String getLastEvaluationTime() {
    return lastEvaluationTime;
  }

  public void setLastEvaluationTime(String lastEvaluationTime) {
    this.lastEvaluationTime = lastEvaluationTime;
  }

  public List<ObjectiveStatus> getObjectives() {
    return objectives;
  }

  public void setObjectives(List<ObjectiveStatus> objectives) {
    this.objectives = objectives;
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
