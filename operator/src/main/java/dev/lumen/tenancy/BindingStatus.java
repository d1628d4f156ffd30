package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingSpec;
import dev.lumen.api.v1alpha1.ProjectBindingStatus;
import dev.lumen.engine.ConditionList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The status of a binding: the namespaces it binds now, and whether it binds any. */
final class BindingStatus {
  private BindingStatus() {}

  /**
   * @param namespaces every namespace that exists, with its labels
   */
  static ProjectBindingStatus of(
      LumenProjectBinding binding, Map<String, Map<String, String>> namespaces, Instant now) {
    ProjectBindingSpec spec = binding.getSpec();
    var bound = new TreeSet<String>();
    namespaces.forEach(
        (namespace, labels) -> {
          if (spec != null && ProjectBindings.binds(spec, namespace, () -> labels)) {
            bound.add(namespace);
          }
        });
    List<String> missing =
        spec == null || spec.namespaces() == null
            ? List.of()
            : spec.namespaces().stream().filter(n -> !namespaces.containsKey(n)).sorted().toList();
    long generation = Objects.requireNonNullElse(binding.getMetadata().getGeneration(), 0L);
    List<Condition> before = binding.getStatus() == null ? null : binding.getStatus().conditions();
    String notYet =
        missing.isEmpty() ? "" : "; named but not existing (yet): " + String.join(", ", missing);
    List<Condition> conditions =
        bound.isEmpty()
            ? ConditionList.set(
                before,
                Conditions.READY,
                Condition.Status.False,
                Conditions.REASON_NO_NAMESPACE_BOUND,
                "no existing namespace is named in spec.namespaces or matches"
                    + " spec.namespaceSelector"
                    + notYet,
                generation,
                now)
            : ConditionList.set(
                before,
                Conditions.READY,
                Condition.Status.True,
                Conditions.REASON_NAMESPACES_BOUND,
                "binds namespaces "
                    + String.join(", ", bound)
                    + " to projects "
                    + String.join(", ", spec.projects() == null ? List.of() : spec.projects())
                    + (spec.googleServiceAccount() == null
                        ? ""
                        : ", acting as " + spec.googleServiceAccount())
                    + notYet,
                generation,
                now);
    return new ProjectBindingStatus(generation, List.copyOf(bound), conditions);
  }
}
