package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** What Lumen may do to one Cloud Run service to keep it inside its SLOs and budget. */
@Group(SLOTarget.GROUP)
@Version(SLOTarget.VERSION)
@Kind("LumenPolicy")
@Plural("lumenpolicies")
@Singular("lumenpolicy")
@ShortNames({"lp", "lps"})
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Mode",
    jsonPath = ".spec.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Stable",
    jsonPath = ".status.stableRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Canary",
    jsonPath = ".status.canaryRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".status.canaryWeight",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Progress",
    jsonPath = ".status.conditions[?(@.type==\"Progressing\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Health",
    jsonPath = ".status.health.grade",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonDeserialize(using = LumenPolicy.Reader.class)
public class LumenPolicy extends LumenResource<LumenPolicySpec, LumenPolicyStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription(
      "What Lumen may do to the service: rollout steps and analysis, rollback, gates, tuning"
          + " and notifications.")
  public LumenPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What Lumen measured, decided and did, written by the operator.")
  public LumenPolicyStatus getStatus() {
    return super.getStatus();
  }

  @Override
  public Optional<CloudRunServiceReference> cloudRunService() {
    return Optional.ofNullable(getSpec())
        .map(LumenPolicySpec::service)
        .map(ServiceReference::cloudRun);
  }

  static final class Reader
      extends LenientResourceDeserializer<LumenPolicySpec, LumenPolicyStatus, LumenPolicy> {
    Reader() {
      super(LumenPolicy.class, LumenPolicy::new, LumenPolicySpec.class, LumenPolicyStatus.class);
    }
  }
}
