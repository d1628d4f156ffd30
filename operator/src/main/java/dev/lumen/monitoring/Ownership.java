package dev.lumen.monitoring;

import dev.lumen.api.v1alpha1.SLOTarget;
import java.util.Map;
import java.util.TreeMap;

/**
 * The user labels that mark a Cloud Monitoring object as Lumen's and name the SLOTarget it stands
 * for. Lumen changes or deletes an object only when these say it is the SLOTarget's own.
 */
public final class Ownership {
  public static final String MANAGED_BY = "managed-by";
  public static final String LUMEN = "lumen";
  public static final String NAMESPACE = "lumen-namespace";
  public static final String SLO_TARGET = "lumen-slotarget";

  private Ownership() {}

  /** The labels of every object of {@code target}. */
  public static Map<String, String> labels(SLOTarget target) {
    var labels = new TreeMap<String, String>();
    labels.put(MANAGED_BY, LUMEN);
    labels.put(NAMESPACE, labelValue(namespaceOf(target)));
    labels.put(SLO_TARGET, labelValue(target.getMetadata().getName()));
    return labels;
  }

  /** Whether an object with these labels is {@code target}'s own. */
  public static boolean owns(Map<String, String> userLabels, SLOTarget target) {
    return labels(target).entrySet().stream()
        .allMatch(e -> e.getValue().equals(userLabels.get(e.getKey())));
  }

  static String namespaceOf(SLOTarget target) {
    String namespace = target.getMetadata().getNamespace();
    return namespace == null ? "default" : namespace;
  }

  /** Label values allow lower-case letters, digits, '_' and '-' only: a name's dots become '_'. */
  static String labelValue(String name) {
    return name.replace('.', '_');
  }
}
