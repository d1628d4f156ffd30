package dev.lumen.tenancy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics (matchLabels and matchExpressions, all must hold). */
final class LabelSelectors {
  private LabelSelectors() {}

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    boolean noLabels = selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty();
    boolean noExpressions =
        selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty();
    if (noLabels && noExpressions) {
      // An empty selector selects nothing here: binding every namespace must be said by name.
      return false;
    }
    if (!noLabels) {
      for (var wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (!noExpressions) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!matches(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
