package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which namespaces may have Lumen steer which Google Cloud projects (cluster-scoped, owned by
 * cluster admins). Without a binding, a LumenPolicy or SLOTarget is not Ready and Lumen makes no
 * Google call for it, unless the operator runs with {@code --tenancy=single-team}.
 */
@Group(SLOTarget.GROUP)
@Version(SLOTarget.VERSION)
@Kind("LumenProjectBinding")
@Plural("lumenprojectbindings")
@Singular("lumenprojectbinding")
@ShortNames({"lpb"})
@AdditionalPrinterColumn(
    name = "Projects",
    jsonPath = ".spec.projects",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Namespaces",
    jsonPath = ".spec.namespaces",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Bound",
    jsonPath = ".status.namespaces",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Services",
    jsonPath = ".spec.services",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Google Account",
    jsonPath = ".spec.googleServiceAccount",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LumenProjectBinding extends CustomResource<ProjectBindingSpec, ProjectBindingStatus> {
  @Override
  @JsonPropertyDescription(
      "The namespaces (by name or label) and the Google projects, regions and services they may"
          + " manage with Lumen.")
  public ProjectBindingSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Which namespaces the binding binds now, written by the operator.")
  public ProjectBindingStatus getStatus() {
    return super.getStatus();
  }
}
