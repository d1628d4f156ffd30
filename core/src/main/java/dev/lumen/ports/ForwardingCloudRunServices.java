package dev.lumen.ports;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import java.util.List;
import java.util.Map;

/**
 * Cloud Run through another {@link CloudRunServices}: a subclass changes only what it is for (act
 * as another identity, count, fail on cue). Closing it leaves the delegate to its owner.
 */
public abstract class ForwardingCloudRunServices implements CloudRunServices {
  protected final CloudRunServices delegate;

  protected ForwardingCloudRunServices(CloudRunServices delegate) {
    this.delegate = delegate;
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    return delegate.get(service);
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    return delegate.list(project, region);
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    return delegate.revisions(service);
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
    delegate.setTraffic(service, split, tags);
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    delegate.setMinInstances(service, count);
  }

  @Override
  public void close() {}
}
