package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The bound mode: a namespace may manage a service only when a LumenProjectBinding names (or
 * selects) the namespace and lists the service's project, and its regions and services patterns,
 * when it has them, match too. Read from the bindings as they are now, so a deleted binding stops
 * Lumen at the next cycle.
 */
public final class ProjectBindings implements Tenancy {
  private final Supplier<List<LumenProjectBinding>> bindings;
  private final Function<String, Map<String, String>> namespaceLabels;

  /**
   * @param bindings the bindings in the cluster now
   * @param namespaceLabels a namespace's labels, for bindings that select namespaces by label
   */
  public ProjectBindings(
      Supplier<List<LumenProjectBinding>> bindings,
      Function<String, Map<String, String>> namespaceLabels) {
    this.bindings = bindings;
    this.namespaceLabels = namespaceLabels;
  }

  @Override
  public Access access(String namespace, CloudRunServiceReference service) {
    String nearest = null;
    List<LumenProjectBinding> byName = new ArrayList<>(bindings.get());
    // The first allowing binding by name decides the identity, the same one at every check.
    byName.sort(Comparator.comparing(b -> b.getMetadata().getName()));
    for (LumenProjectBinding binding : byName) {
      ProjectBindingSpec spec = binding.getSpec();
      if (spec == null || !binds(spec, namespace, () -> namespaceLabels.apply(namespace))) {
        continue;
      }
      if (spec.projects() == null || !spec.projects().contains(service.project())) {
        continue;
      }
      if (!isEmpty(spec.regions()) && !spec.regions().contains(service.region())) {
        nearest =
            narrower(binding, service, namespace, "in regions", spec.regions(), service.region());
        continue;
      }
      if (!isEmpty(spec.services())
          && spec.services().stream().noneMatch(p -> Globs.matches(p, service.name()))) {
        nearest =
            narrower(binding, service, namespace, "for services", spec.services(), service.name());
        continue;
      }
      return Access.allowed(Optional.ofNullable(spec.googleServiceAccount()));
    }
    String why =
        nearest != null
            ? nearest
            : "no LumenProjectBinding binds project "
                + service.project()
                + " to namespace "
                + namespace;
    return Access.refused(
        "spec.service.cloudRun: "
            + why
            + "; a cluster admin allows it with a LumenProjectBinding listing namespace "
            + namespace
            + " and project "
            + service.project()
            + " (docs/security.md#multi-team-cluster)");
  }

  /** Why a binding of the project to the namespace still does not cover the service. */
  private static String narrower(
      LumenProjectBinding binding,
      CloudRunServiceReference service,
      String namespace,
      String scope,
      List<String> allowed,
      String actual) {
    return "LumenProjectBinding \""
        + binding.getMetadata().getName()
        + "\" binds project "
        + service.project()
        + " to namespace "
        + namespace
        + " "
        + scope
        + " "
        + allowed
        + " only, not "
        + actual;
  }

  /** Whether a binding names or selects the namespace; its labels are read only for a selector. */
  static boolean binds(
      ProjectBindingSpec spec, String namespace, Supplier<Map<String, String>> labels) {
    if (spec.namespaces() != null && spec.namespaces().contains(namespace)) {
      return true;
    }
    return spec.namespaceSelector() != null
        && LabelSelectors.matches(spec.namespaceSelector(), labels.get());
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
