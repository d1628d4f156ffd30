package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import java.util.List;
import java.util.Map;

/** A distinct view of Cloud Run over the same client; closing it leaves the client to its owner. */
final class CloudRunView implements CloudRunServices {
  private final CloudRunServices client;

  CloudRunView(CloudRunServices client) {
    this.client = client;
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    return client.get(service);
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    return client.list(project, region);
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    return client.revisions(service);
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
    client.setTraffic(service, split, tags);
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    client.setMinInstances(service, count);
  }

  @Override
  public void close() {}
}
