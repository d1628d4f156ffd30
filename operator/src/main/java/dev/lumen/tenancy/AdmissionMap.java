package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The bindings as the admission policy reads them: a ConfigMap's data with one entry per bound
 * namespace and binding, {@code NAMESPACE.BINDING}, whose value is a regular expression that {@code
 * PROJECT/REGION/SERVICE} of an allowed service matches. A ValidatingAdmissionPolicy cannot ask
 * "does any binding allow this" of the bindings themselves (a policy with several parameters must
 * pass for each), but it can of one map: {@code params.data.exists(k, k.startsWith(ns + '.') &&
 * subject.matches(params.data[k]))}.
 */
public final class AdmissionMap {
  /** Where the map is kept: a ConfigMap's namespace and name. */
  public record Location(String namespace, String name) {}

  /** What a name or a region may be where a binding does not narrow it. */
  private static final String ANY = "[^/]+";

  private AdmissionMap() {}

  /**
   * @param bindings the cluster's bindings
   * @param namespaces every namespace with its labels, for bindings that select by label
   */
  public static Map<String, String> of(
      Collection<LumenProjectBinding> bindings, Map<String, Map<String, String>> namespaces) {
    Map<String, String> data = new TreeMap<>();
    List<LumenProjectBinding> byName =
        bindings.stream()
            .filter(b -> b.getSpec() != null && b.getSpec().projects() != null)
            .sorted(Comparator.comparing(b -> b.getMetadata().getName()))
            .toList();
    for (LumenProjectBinding binding : byName) {
      ProjectBindingSpec spec = binding.getSpec();
      var bound = new TreeSet<String>();
      if (spec.namespaces() != null) {
        bound.addAll(spec.namespaces());
      }
      namespaces.forEach(
          (namespace, labels) -> {
            if (ProjectBindings.binds(spec, namespace, () -> labels)) {
              bound.add(namespace);
            }
          });
      String allowed = pattern(spec);
      bound.forEach(
          namespace -> data.put(namespace + "." + binding.getMetadata().getName(), allowed));
    }
    return data;
  }

  /**
   * {@code ^(projects)/(regions)/(services)$}, each an alternation of literals or globs. The schema
   * lets these hold only lower-case letters, digits, {@code -} and (services) {@code *}, none of
   * them special in a regular expression but {@code *}, which becomes a run of name characters.
   */
  static String pattern(ProjectBindingSpec spec) {
    return "^("
        + alternatives(spec.projects(), false)
        + ")/("
        + alternatives(spec.regions(), false)
        + ")/("
        + alternatives(spec.services(), true)
        + ")$";
  }

  private static String alternatives(List<String> values, boolean globs) {
    if (values == null || values.isEmpty()) {
      return ANY;
    }
    return values.stream()
        .map(v -> globs ? v.replace("*", "[-a-z0-9]*") : v)
        .collect(Collectors.joining("|"));
  }
}
