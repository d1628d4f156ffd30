package dev.lumen.gcp;

import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.ListRevisionsRequest;
import com.google.cloud.run.v2.ListServicesRequest;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServiceScaling;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.protobuf.FieldMask;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Run through the Admin API v2 client. Updates send the etag read just before and a precise
 * update mask ({@code traffic} or {@code scaling.min_instance_count}, never the template, which
 * would create a revision); a conflict (ABORTED, FAILED_PRECONDITION) re-reads and tries again a
 * bounded number of times; an update that would change nothing is not sent.
 */
public final class CloudRunAdminServices implements CloudRunServices {
  static final int CONFLICT_ATTEMPTS = 3;

  private final ServicesClient services;
  private final RevisionsClient revisions;
  private final GoogleClientConfig config;
  private final GoogleIdentities identities;

  /** Every call as the client's own identity. */
  public CloudRunAdminServices(GoogleClientConfig config) {
    this(config, GoogleIdentities.none());
  }

  /**
   * @param identities whom a call acts as, when the resource it is made for is bound to a tenant's
   *     Google service account
   */
  public CloudRunAdminServices(GoogleClientConfig config, GoogleIdentities identities) {
    this.config = config;
    this.identities = identities;
    try {
      var servicesSettings = ServicesSettings.newBuilder();
      config.connect(servicesSettings, ServicesSettings.defaultGrpcTransportProviderBuilder());
      servicesSettings.applyToAllUnaryMethods(config::applyTo);
      servicesSettings
          .updateServiceOperationSettings()
          .setPollingAlgorithm(OperationTimedPollAlgorithm.create(config.pollingSettings()));
      this.services = ServicesClient.create(servicesSettings.build());

      var revisionsSettings = RevisionsSettings.newBuilder();
      config.connect(revisionsSettings, RevisionsSettings.defaultGrpcTransportProviderBuilder());
      revisionsSettings.applyToAllUnaryMethods(config::applyTo);
      this.revisions = RevisionsClient.create(revisionsSettings.build());
    } catch (IOException e) {
      throw PortException.permanentFailure(
          "cannot create the Cloud Run clients: " + e.getMessage(), e);
    }
  }

  @Override
  public ServiceState get(CloudRunServiceReference ref) {
    return toState(read(ref));
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    String parent = "projects/" + project + "/locations/" + region;
    try {
      Map<String, ServiceState> listed = new TreeMap<>();
      var request =
          ListServicesRequest.newBuilder().setParent(parent).setPageSize(LIST_PAGE_SIZE).build();
      for (Service service :
          services
              .listServicesPagedCallable()
              .call(request, config.callContext(identities))
              .iterateAll()) {
        listed.put(shortName(service.getName()), toState(service));
      }
      return listed;
    } catch (RuntimeException e) {
      throw GrpcErrors.translate("list the services of " + parent, e);
    }
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference ref) {
    try {
      List<RevisionInfo> all = new ArrayList<>();
      var request = ListRevisionsRequest.newBuilder().setParent(ref.resourceName()).build();
      for (var revision :
          revisions
              .listRevisionsPagedCallable()
              .call(request, config.callContext(identities))
              .iterateAll()) {
        all.add(
            new RevisionInfo(
                shortName(revision.getName()),
                ProtoTime.instant(revision.getCreateTime()),
                !revision.getReconciling()));
      }
      return all;
    } catch (RuntimeException e) {
      throw GrpcErrors.translate("list revisions of " + ref.resourceName(), e);
    }
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference ref, Map<String, Integer> split, Map<String, String> tags) {
    update(
        ref,
        "traffic",
        current -> {
          ServiceState state = toState(current);
          if (state.traffic().equals(TrafficSplit.withoutZeros(split))
              && state.tags().equals(tags)) {
            return Optional.empty();
          }
          var service = Service.newBuilder().setName(current.getName()).setEtag(current.getEtag());
          Map<String, Integer> targets = new TreeMap<>(TrafficSplit.withoutZeros(split));
          tags.keySet().forEach(revision -> targets.putIfAbsent(revision, 0));
          targets.forEach(
              (revision, percent) ->
                  service.addTraffic(
                      TrafficTarget.newBuilder()
                          .setType(
                              TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                          .setRevision(revision)
                          .setPercent(percent)
                          .setTag(tags.getOrDefault(revision, ""))));
          return Optional.of(service.build());
        });
  }

  @Override
  public void setMinInstances(CloudRunServiceReference ref, int count) {
    update(
        ref,
        "scaling.min_instance_count",
        current ->
            current.getScaling().getMinInstanceCount() == count
                ? Optional.empty()
                : Optional.of(
                    Service.newBuilder()
                        .setName(current.getName())
                        .setEtag(current.getEtag())
                        .setScaling(ServiceScaling.newBuilder().setMinInstanceCount(count))
                        .build()));
  }

  /**
   * Reads, lets {@code change} build the update (or nothing), sends it with the etag; on conflict,
   * again.
   */
  private void update(
      CloudRunServiceReference ref,
      String maskPath,
      java.util.function.Function<Service, Optional<Service>> change) {
    for (int attempt = 1; ; attempt++) {
      Optional<Service> wanted = change.apply(read(ref));
      if (wanted.isEmpty()) {
        return;
      }
      var request =
          UpdateServiceRequest.newBuilder()
              .setService(wanted.get())
              .setUpdateMask(FieldMask.newBuilder().addPaths(maskPath))
              .build();
      try {
        services
            .updateServiceOperationCallable()
            .futureCall(request, config.callContext(identities))
            .get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PortException.transientFailure("interrupted while updating " + ref.resourceName(), e);
      } catch (Exception e) {
        if (!GrpcErrors.isConflict(e) || attempt >= CONFLICT_ATTEMPTS) {
          throw GrpcErrors.translate("update " + maskPath + " of " + ref.resourceName(), e);
        }
      }
    }
  }

  private Service read(CloudRunServiceReference ref) {
    try {
      return services
          .getServiceCallable()
          .call(
              GetServiceRequest.newBuilder().setName(ref.resourceName()).build(),
              config.callContext(identities));
    } catch (RuntimeException e) {
      throw GrpcErrors.translate("get " + ref.resourceName(), e);
    }
  }

  private static ServiceState toState(Service service) {
    String latest = shortName(service.getLatestReadyRevision());
    Map<String, Integer> traffic = new TreeMap<>();
    Map<String, String> tags = new HashMap<>();
    for (TrafficTarget target : service.getTrafficList()) {
      String revision =
          target.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
              ? latest
              : target.getRevision();
      if (target.getPercent() > 0) {
        traffic.merge(revision, target.getPercent(), Integer::sum);
      }
      if (!target.getTag().isEmpty()) {
        tags.put(revision, target.getTag());
      }
    }
    Map<String, Integer> serving = new TreeMap<>();
    for (TrafficTargetStatus target : service.getTrafficStatusesList()) {
      String revision =
          target.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
              ? latest
              : target.getRevision();
      if (target.getPercent() > 0) {
        serving.merge(revision, target.getPercent(), Integer::sum);
      }
    }
    var terminal = service.getTerminalCondition();
    return new ServiceState(
        latest,
        traffic,
        tags,
        Optional.of(service.getScaling().getMinInstanceCount()),
        service.getEtag(),
        service.getReconciling(),
        ResourceLimits.instanceSize(
            service.getTemplate().getContainersCount() == 0
                ? Map.of()
                : service.getTemplate().getContainers(0).getResources().getLimitsMap()),
        // A service read before Cloud Run reported any status serves what it is configured to.
        service.getTrafficStatusesCount() == 0 ? traffic : serving,
        terminal.getState() == com.google.cloud.run.v2.Condition.State.CONDITION_FAILED
            ? Optional.of(
                terminal.getMessage().isEmpty()
                    ? terminal.getReason().name()
                    : terminal.getMessage())
            : Optional.empty());
  }

  static String shortName(String resourceName) {
    return resourceName == null || resourceName.isEmpty()
        ? null
        : resourceName.substring(resourceName.lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    services.close();
    revisions.close();
  }
}
