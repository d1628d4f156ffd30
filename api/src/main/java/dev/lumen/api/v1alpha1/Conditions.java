package dev.lumen.api.v1alpha1;

/** Condition types and reasons both kinds report; reasons are CamelCase as Kubernetes expects. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String GATES_PASSING = "GatesPassing";
  public static final String ROLLBACK_PENDING = "RollbackPending";
  public static final String OBJECTIVES_MET = "ObjectivesMet";
  public static final String BUDGET_BURNING = "BudgetBurning";

  /**
   * LumenPolicy: whether the rollout's steps can gather the evidence mustCatch asks for at the
   * traffic they see (reason OnSchedule, ScheduleTooShort or NoRollout).
   */
  public static final String GUARANTEE_REACHABLE = "GuaranteeReachable";

  /**
   * An objective's SLI has no data over the whole compliance window: no requests, a metric or query
   * that matches nothing. Abnormal-true, like BudgetBurning: an absent SLI is silent.
   */
  public static final String SLI_ABSENT = "SliAbsent";

  /** SLOTarget only, when the operator runs with --prometheus-rules. */
  public static final String ALERT_RULES_PUBLISHED = "AlertRulesPublished";

  /** SLOTarget only, when the operator runs with --cloud-monitoring-objects. */
  public static final String MONITORING_OBJECTS_SYNCED = "MonitoringObjectsSynced";

  /** Ready=True: the resource passed every check and Lumen works on it. */
  public static final String REASON_ACCEPTED = "Accepted";

  /** Ready=False: a field breaks a schema or CEL rule (seen where the API server did not check). */
  public static final String REASON_INVALID_SPEC = "InvalidSpec";

  /** Ready=False: a LumenPolicy names an SLOTarget that does not exist in its namespace. */
  public static final String REASON_SLO_TARGET_NOT_FOUND = "SLOTargetNotFound";

  /** Ready=False: a referenced Secret, or the key inside it, does not exist. */
  public static final String REASON_SECRET_NOT_FOUND = "SecretNotFound";

  /** Ready=False: a referenced Secret holds a value Lumen cannot use (e.g. a malformed URL). */
  public static final String REASON_INVALID_SECRET_VALUE = "InvalidSecretValue";

  /**
   * Ready=False: no LumenProjectBinding lets the resource's namespace manage its service's project;
   * Lumen makes no Google call for it.
   */
  public static final String REASON_PROJECT_NOT_BOUND = "ProjectNotBound";

  /**
   * Ready=False: an older LumenPolicy already steers the same Cloud Run service; this one makes no
   * change until that one is gone.
   */
  public static final String REASON_SERVICE_ALREADY_MANAGED = "ServiceAlreadyManaged";

  /** A LumenProjectBinding names or selects at least one existing namespace. */
  public static final String REASON_NAMESPACES_BOUND = "NamespacesBound";

  /** A LumenProjectBinding names or selects no namespace that exists now. */
  public static final String REASON_NO_NAMESPACE_BOUND = "NoNamespaceBound";

  private Conditions() {}
}
