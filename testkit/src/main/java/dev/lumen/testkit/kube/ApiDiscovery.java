package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents a real API server serves ({@code /api}, {@code /apis}, one resource list
 * per group version), made from the built-in kinds the embedded server stores and the CRDs it has:
 * kubectl maps {@code lp} to a resource with them before any other call.
 */
final class ApiDiscovery {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** One kind the server serves. */
  record Resource(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      boolean hasStatus,
      Optional<CustomResourceDefinition> definition) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    String apiPrefix() {
      return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }
  }

  /** Kubernetes' own kinds that Lumen and its tests use. */
  private static final List<Resource> BUILT_IN =
      List.of(
          builtIn("", "v1", "namespaces", "Namespace", false, List.of("ns")),
          builtIn("", "v1", "events", "Event", true, List.of("ev")),
          builtIn("", "v1", "secrets", "Secret", true, List.of()),
          builtIn("", "v1", "configmaps", "ConfigMap", true, List.of("cm")),
          builtIn("", "v1", "services", "Service", true, List.of("svc")),
          builtIn("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa")),
          builtIn("", "v1", "pods", "Pod", true, List.of("po")),
          builtIn(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds")),
          builtIn("coordination.k8s.io", "v1", "leases", "Lease", true, List.of()));

  private static Resource builtIn(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames) {
    return new Resource(
        group,
        version,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        kind,
        namespaced,
        shortNames,
        false,
        Optional.empty());
  }

  private final List<Resource> resources;

  ApiDiscovery(List<CustomResourceDefinition> definitions) {
    var all = new ArrayList<>(BUILT_IN);
    for (CustomResourceDefinition crd : definitions) {
      var spec = crd.getSpec();
      for (CustomResourceDefinitionVersion version : spec.getVersions()) {
        if (!Boolean.TRUE.equals(version.getServed())) {
          continue;
        }
        all.add(
            new Resource(
                spec.getGroup(),
                version.getName(),
                spec.getNames().getPlural(),
                spec.getNames().getSingular(),
                spec.getNames().getKind(),
                "Namespaced".equals(spec.getScope()),
                spec.getNames().getShortNames() == null
                    ? List.of()
                    : spec.getNames().getShortNames(),
                version.getSubresources() != null && version.getSubresources().getStatus() != null,
                Optional.of(crd)));
      }
    }
    this.resources = List.copyOf(all);
  }

  List<Resource> resources() {
    return resources;
  }

  /** The kind a path's group, version and plural name, if the server serves it. */
  Optional<Resource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** {@code GET /api}. */
  ObjectNode coreVersions(String serverAddress) {
    ObjectNode versions = JSON.objectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions
        .putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return versions;
  }

  /** {@code GET /apis}: every named group, in the order first served. */
  ObjectNode groups() {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (!r.group().isEmpty()) {
        var versions = versionsByGroup.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    ObjectNode list = JSON.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    versionsByGroup.forEach(
        (group, versions) -> {
          ObjectNode entry = groups.addObject().put("name", group);
          ArrayNode served = entry.putArray("versions");
          for (String version : versions) {
            served.addObject().put("groupVersion", group + "/" + version).put("version", version);
          }
          entry.set("preferredVersion", served.get(0).deepCopy());
        });
    return list;
  }

  /** {@code GET /api/v1} or {@code /apis/GROUP/VERSION}; empty when nothing is served there. */
  Optional<ObjectNode> resourceList(String group, String version) {
    var served =
        resources.stream()
            .filter(r -> r.group().equals(group) && r.version().equals(version))
            .toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode list =
        JSON.objectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", served.get(0).groupVersion());
    ArrayNode entries = list.putArray("resources");
    for (Resource r : served) {
      ObjectNode entry =
          entries
              .addObject()
              .put("name", r.plural())
              .put("singularName", r.singular())
              .put("namespaced", r.namespaced())
              .put("kind", r.kind());
      VERBS.forEach(entry.putArray("verbs")::add);
      if (!r.shortNames().isEmpty()) {
        r.shortNames().forEach(entry.putArray("shortNames")::add);
      }
      r.definition()
          .map(crd -> crd.getSpec().getNames().getCategories())
          .filter(categories -> categories != null && !categories.isEmpty())
          .ifPresent(categories -> categories.forEach(entry.putArray("categories")::add));
      if (r.hasStatus()) {
        ObjectNode status =
            entries
                .addObject()
                .put("name", r.plural() + "/status")
                .put("singularName", "")
                .put("namespaced", r.namespaced())
                .put("kind", r.kind());
        List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
      }
    }
    return Optional.of(list);
  }
}
