package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.rules.RulesYaml;
import dev.lumen.rules.SloAlertRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps one Prometheus Operator {@code PrometheusRule} per SLOTarget, holding the burn-rate alerts
 * {@code lumen rules} would render for it, owned by the SLOTarget so that Kubernetes deletes it
 * with the SLOTarget.
 *
 * <p>A rule that exists but belongs to someone else is left alone and reported. The rule is read
 * back only when the SLOTarget's generation changes, or {@link #RECHECK} after it was last seen
 * right, which repairs hand edits and deletions without a GET every evaluation of every SLOTarget.
 */
public final class AlertRulesPublisher {
  public static final ResourceDefinitionContext PROMETHEUS_RULES =
      new ResourceDefinitionContext.Builder()
          .withGroup("monitoring.coreos.com")
          .withVersion("v1")
          .withKind("PrometheusRule")
          .withPlural("prometheusrules")
          .withNamespaced(true)
          .build();

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final Duration RECHECK = Duration.ofMinutes(10);
  private static final String PREFIX = "lumen-slo-";
  private static final int MAX_NAME = 253;

  public static final String REASON_PUBLISHED = "Published";
  public static final String REASON_NOTHING_TO_ALERT_ON = "NothingToAlertOn";
  public static final String REASON_CRD_MISSING = "PrometheusRuleCrdMissing";
  public static final String REASON_FORBIDDEN = "PrometheusRuleForbidden";
  public static final String REASON_NOT_OWNED = "PrometheusRuleNotOwned";
  public static final String REASON_WRITE_FAILED = "PrometheusRuleWriteFailed";

  /** The AlertRulesPublished condition to report. */
  public record Outcome(Condition.Status status, String reason, String message) {}

  private final KubernetesClient client;
  private final Map<String, String> labels;
  private final Clock clock;
  private final SeenRight<Outcome> seenRight = new SeenRight<>(RECHECK);

  /**
   * @param labels labels every rule carries besides {@value #MANAGED_BY_LABEL}, e.g. what the
   *     Prometheus Operator's {@code ruleSelector} selects
   */
  public AlertRulesPublisher(KubernetesClient client, Map<String, String> labels, Clock clock) {
    this.client = client;
    this.labels = Map.copyOf(labels);
    this.clock = clock;
  }

  /** The name of the PrometheusRule for an SLOTarget of this name. */
  public static String ruleName(String sloTargetName) {
    String name = PREFIX + sloTargetName;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String digest = sha256(sloTargetName).substring(0, 10);
    return name.substring(0, MAX_NAME - digest.length() - 1) + "-" + digest;
  }

  /**
   * Creates or updates the rule of {@code target}, which must have passed validation and carry the
   * schema's defaults.
   */
  public Outcome publish(SLOTarget target) {
    // The rule follows from the spec alone (the labels are the operator's): while the generation
    // stays, nothing is rendered or read until the recheck is due.
    String key = Objects.requireNonNull(target.getMetadata().getUid(), "uid");
    long generation = Objects.requireNonNullElse(target.getMetadata().getGeneration(), 0L);
    Instant now = clock.instant();
    var seen = seenRight.stillRight(key, generation, now);
    if (seen.isPresent()) {
      return seen.get();
    }
    SloAlertRules.Result rendered = SloAlertRules.of(target);
    String skipped =
        rendered.skipped().isEmpty()
            ? ""
            : "; no alert for objective " + String.join(", for objective ", rendered.skipped());
    String name = ruleName(target.getMetadata().getName());
    String namespace = target.getMetadata().getNamespace();
    if (rendered.group().rules().isEmpty()) {
      return new Outcome(
          Condition.Status.True,
          REASON_NOTHING_TO_ALERT_ON,
          "No objective has a burn-rate alert, so no PrometheusRule is written" + skipped);
    }
    GenericKubernetesResource desired = desired(target, name, rendered);
    var done =
        new Outcome(
            Condition.Status.True,
            REASON_PUBLISHED,
            "PrometheusRule "
                + name
                + " holds "
                + rendered.group().rules().size()
                + " rules"
                + skipped);
    try {
      var rules = client.genericKubernetesResources(PROMETHEUS_RULES).inNamespace(namespace);
      GenericKubernetesResource existing = rules.withName(name).get();
      if (existing == null) {
        rules.resource(desired).create();
      } else if (!ownedByAnSloTargetNamed(existing, target.getMetadata().getName())) {
        seenRight.forget(key);
        return new Outcome(
            Condition.Status.False,
            REASON_NOT_OWNED,
            "PrometheusRule "
                + name
                + " exists and is not owned by this SLOTarget; Lumen leaves it alone. Delete it,"
                + " or rename this SLOTarget");
      } else if (!upToDate(existing, desired, target)) {
        existing.getMetadata().setLabels(desired.getMetadata().getLabels());
        existing.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
        existing.setAdditionalProperty("spec", spec(desired));
        // Carries the resourceVersion read above: a concurrent edit fails this with a conflict,
        // and the next evaluation reads again.
        rules.resource(existing).update();
      }
      seenRight.right(key, generation, now, done);
      return done;
    } catch (KubernetesClientException e) {
      seenRight.forget(key);
      return failure(e, name);
    }
  }

  /** Forgets what was seen of a deleted SLOTarget's rule; Kubernetes deletes the rule itself. */
  public void forget(SLOTarget target) {
    String uid = target.getMetadata().getUid();
    if (uid != null) {
      seenRight.forget(uid);
    }
  }

  private GenericKubernetesResource desired(
      SLOTarget target, String name, SloAlertRules.Result rendered) {
    var ruleLabels = new LinkedHashMap<>(labels);
    ruleLabels.put(MANAGED_BY_LABEL, "lumen");
    var tree =
        RulesYaml.prometheusRuleTree(
            name, target.getMetadata().getNamespace(), ruleLabels, List.of(rendered.group()));
    var rule =
        client.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
    rule.getMetadata().setOwnerReferences(List.of(ownerReference(target)));
    return rule;
  }

  /**
   * Not blockOwnerDeletion: setting it needs the right to update the SLOTarget's finalizers, and
   * the rule has nothing to finish before its SLOTarget goes.
   */
  private static OwnerReference ownerReference(SLOTarget target) {
    return new OwnerReferenceBuilder()
        .withApiVersion(target.getApiVersion())
        .withKind(target.getKind())
        .withName(target.getMetadata().getName())
        .withUid(target.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /**
   * Also the rule of an earlier SLOTarget of the same name: when one is deleted and made again, the
   * garbage collector may not have removed the old rule yet, and the new one takes it over.
   */
  private static boolean ownedByAnSloTargetNamed(GenericKubernetesResource rule, String name) {
    return rule.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> "SLOTarget".equals(o.getKind()) && name.equals(o.getName()));
  }

  private static boolean upToDate(
      GenericKubernetesResource existing, GenericKubernetesResource desired, SLOTarget target) {
    return Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && Objects.equals(spec(existing), spec(desired))
        && existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> target.getMetadata().getUid().equals(o.getUid()));
  }

  private static Object spec(GenericKubernetesResource rule) {
    return rule.getAdditionalProperties().get("spec");
  }

  private static Outcome failure(KubernetesClientException e, String name) {
    return switch (e.getCode()) {
      case 404 ->
          new Outcome(
              Condition.Status.False,
              REASON_CRD_MISSING,
              "The API server has no monitoring.coreos.com/v1 PrometheusRule: install the"
                  + " Prometheus Operator's CRDs, or run Lumen without --prometheus-rules");
      case 403 ->
          new Outcome(
              Condition.Status.False,
              REASON_FORBIDDEN,
              "Lumen may not write PrometheusRule "
                  + name
                  + ": grant get, create and update on prometheusrules.monitoring.coreos.com"
                  + " (the chart does so with sloAlertRules.enabled=true)");
      default ->
          new Outcome(
              Condition.Status.False,
              REASON_WRITE_FAILED,
              "Writing PrometheusRule "
                  + name
                  + " failed ("
                  + e.getCode()
                  + "): "
                  + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName())
                  + "; retried at the next evaluation");
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
