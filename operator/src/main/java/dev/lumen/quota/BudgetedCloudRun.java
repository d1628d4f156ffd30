package dev.lumen.quota;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import java.util.List;
import java.util.Map;

/** Cloud Run calls within the project's budget. */
public final class BudgetedCloudRun implements CloudRunServices {
  private final CloudRunServices delegate;
  private final CallBudget budget;

  public BudgetedCloudRun(CloudRunServices delegate, CallBudget budget) {
    this.delegate = delegate;
    this.budget = budget;
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    budget.spend(service.project());
    return delegate.get(service);
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    budget.spend(service.project());
    return delegate.revisions(service);
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
    budget.spend(service.project());
    delegate.setTraffic(service, split, tags);
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    budget.spend(service.project());
    delegate.setMinInstances(service, count);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
