package dev.lumen.api.v1alpha1;

import java.util.List;

/** The part of status every Lumen kind shares: what generation it describes, and conditions. */
public interface ObservedStatus {
  Long getObservedGeneration();

  void setObservedGeneration(Long observedGeneration);

  List<Condition> getConditions();

  void setConditions(List<Condition> conditions);
}
