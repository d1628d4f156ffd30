package dev.lumen.quota;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import java.util.List;
import java.util.Map;

/** Cloud Run calls within the project's quota. */
public final class QuotaLimitedCloudRun implements CloudRunServices {
  private final CloudRunServices delegate;
  private final CallQuota quota;

  public QuotaLimitedCloudRun(CloudRunServices delegate, CallQuota quota) {
    this.delegate = delegate;
    this.quota = quota;
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    quota.spend(service.project());
    return delegate.get(service);
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    quota.spend(project);
    return delegate.list(project, region);
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    quota.spend(service.project());
    return delegate.revisions(service);
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
    quota.spend(service.project());
    delegate.setTraffic(service, split, tags);
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    quota.spend(service.project());
    delegate.setMinInstances(service, count);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
