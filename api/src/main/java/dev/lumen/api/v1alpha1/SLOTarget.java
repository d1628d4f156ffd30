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

/** The objectives of one Cloud Run service, measured continuously by Lumen. */
@Group(SLOTarget.GROUP)
@Version(SLOTarget.VERSION)
@Kind("SLOTarget")
@Plural("slotargets")
@Singular("slotarget")
@ShortNames({"slo", "slos"})
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Compliance",
    jsonPath = ".status.compliance",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Service",
    jsonPath = ".spec.service.cloudRun.name",
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
@JsonDeserialize(using = SLOTarget.Reader.class)
public class SLOTarget extends LumenResource<SLOTargetSpec, SLOTargetStatus> implements Namespaced {
  public static final String GROUP = "lumen.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  @JsonPropertyDescription(
      "What good means for one Cloud Run service: where its metrics come from, the compliance"
          + " window and the objectives.")
  public SLOTargetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What Lumen measured for the objectives, written by the operator.")
  public SLOTargetStatus getStatus() {
    return super.getStatus();
  }

  @Override
  public Optional<CloudRunServiceReference> cloudRunService() {
    return Optional.ofNullable(getSpec())
        .map(SLOTargetSpec::service)
        .map(ServiceReference::cloudRun);
  }

  static final class Reader
      extends LenientResourceDeserializer<SLOTargetSpec, SLOTargetStatus, SLOTarget> {
    Reader() {
      super(SLOTarget.class, SLOTarget::new, SLOTargetSpec.class, SLOTargetStatus.class);
    }
  }
}
