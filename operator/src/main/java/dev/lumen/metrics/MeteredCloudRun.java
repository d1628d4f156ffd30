package dev.lumen.metrics;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/** Cloud Run with every call counted. */
public final class MeteredCloudRun implements CloudRunServices {
  private final CloudRunServices delegate;
  private final ApiCalls calls;

  public MeteredCloudRun(CloudRunServices delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.calls = new ApiCalls(registry, "run.googleapis.com");
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    return calls.call("GetService", () -> delegate.get(service));
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    return calls.call("ListServices", () -> delegate.list(project, region));
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    return calls.call("ListRevisions", () -> delegate.revisions(service));
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
    calls.run("UpdateService.traffic", () -> delegate.setTraffic(service, split, tags));
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    calls.run("UpdateService.scaling", () -> delegate.setMinInstances(service, count));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
