package dev.lumen.gcp;

import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceClient;
import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceSettings;
import com.google.cloud.monitoring.v3.AlertPolicyServiceClient;
import com.google.cloud.monitoring.v3.AlertPolicyServiceSettings;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceClient;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceSettings;
import com.google.monitoring.dashboard.v1.CreateDashboardRequest;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.DeleteDashboardRequest;
import com.google.monitoring.dashboard.v1.ListDashboardsRequest;
import com.google.monitoring.dashboard.v1.UpdateDashboardRequest;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.CreateAlertPolicyRequest;
import com.google.monitoring.v3.CreateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.CreateServiceRequest;
import com.google.monitoring.v3.DeleteAlertPolicyRequest;
import com.google.monitoring.v3.DeleteServiceLevelObjectiveRequest;
import com.google.monitoring.v3.DeleteServiceRequest;
import com.google.monitoring.v3.ListAlertPoliciesRequest;
import com.google.monitoring.v3.ListServiceLevelObjectivesRequest;
import com.google.monitoring.v3.ListServicesRequest;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.UpdateAlertPolicyRequest;
import com.google.monitoring.v3.UpdateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.UpdateServiceRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.ports.MonitoringObjectStore;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cloud Monitoring's configuration objects through google-cloud-monitoring's ServiceMonitoring and
 * AlertPolicy clients and the Dashboards client, over gRPC, each call as the identity of the
 * resource it is made for. Objects travel as the APIs' JSON; a replace sends the whole object
 * (empty update mask), a dashboard with the etag it was read with.
 */
public final class CloudMonitoringObjectStore implements MonitoringObjectStore {
  private final ServiceMonitoringServiceClient services;
  private final AlertPolicyServiceClient policies;
  private final DashboardsServiceClient dashboards;
  private final GoogleClientConfig config;
  private final GoogleIdentities identities;

  public CloudMonitoringObjectStore(GoogleClientConfig config, GoogleIdentities identities) {
    this.config = config;
    this.identities = identities;
    try {
      var serviceSettings = ServiceMonitoringServiceSettings.newBuilder();
      config.connect(
          serviceSettings, ServiceMonitoringServiceSettings.defaultGrpcTransportProviderBuilder());
      serviceSettings.applyToAllUnaryMethods(config::applyTo);
      this.services = ServiceMonitoringServiceClient.create(serviceSettings.build());
      var policySettings = AlertPolicyServiceSettings.newBuilder();
      config.connect(
          policySettings, AlertPolicyServiceSettings.defaultGrpcTransportProviderBuilder());
      policySettings.applyToAllUnaryMethods(config::applyTo);
      this.policies = AlertPolicyServiceClient.create(policySettings.build());
      var dashboardSettings = DashboardsServiceSettings.newBuilder();
      config.connect(
          dashboardSettings, DashboardsServiceSettings.defaultGrpcTransportProviderBuilder());
      dashboardSettings.applyToAllUnaryMethods(config::applyTo);
      this.dashboards = DashboardsServiceClient.create(dashboardSettings.build());
    } catch (IOException e) {
      throw PortException.permanentFailure(
          "cannot create the Cloud Monitoring clients: " + e.getMessage(), e);
    }
  }

  @Override
  public List<StoredObject> list(Kind kind, String parent) {
    return call(
        "list " + kind + " under " + parent,
        () -> {
          var context = config.callContext(identities);
          List<StoredObject> found = new ArrayList<>();
          switch (kind) {
            case SERVICE ->
                services
                    .listServicesPagedCallable()
                    .call(ListServicesRequest.newBuilder().setParent(parent).build(), context)
                    .iterateAll()
                    .forEach(s -> found.add(stored(kind, s.getName(), s.getUserLabelsMap(), s)));
            case SERVICE_LEVEL_OBJECTIVE ->
                services
                    .listServiceLevelObjectivesPagedCallable()
                    .call(
                        ListServiceLevelObjectivesRequest.newBuilder().setParent(parent).build(),
                        context)
                    .iterateAll()
                    .forEach(o -> found.add(stored(kind, o.getName(), o.getUserLabelsMap(), o)));
            case ALERT_POLICY ->
                policies
                    .listAlertPoliciesPagedCallable()
                    .call(ListAlertPoliciesRequest.newBuilder().setName(parent).build(), context)
                    .iterateAll()
                    .forEach(p -> found.add(stored(kind, p.getName(), p.getUserLabelsMap(), p)));
            case DASHBOARD ->
                dashboards
                    .listDashboardsPagedCallable()
                    .call(ListDashboardsRequest.newBuilder().setParent(parent).build(), context)
                    .iterateAll()
                    .forEach(d -> found.add(stored(kind, d.getName(), d.getLabelsMap(), d)));
          }
          return found;
        });
  }

  @Override
  public StoredObject create(Kind kind, String parent, Optional<String> id, String json) {
    return call(
        "create " + kind + " under " + parent,
        () -> {
          var context = config.callContext(identities);
          return switch (kind) {
            case SERVICE -> {
              var request =
                  CreateServiceRequest.newBuilder()
                      .setParent(parent)
                      .setService(parse(json, Service.getDefaultInstance()));
              id.ifPresent(request::setServiceId);
              Service s = services.createServiceCallable().call(request.build(), context);
              yield stored(kind, s.getName(), s.getUserLabelsMap(), s);
            }
            case SERVICE_LEVEL_OBJECTIVE -> {
              var request =
                  CreateServiceLevelObjectiveRequest.newBuilder()
                      .setParent(parent)
                      .setServiceLevelObjective(
                          parse(json, ServiceLevelObjective.getDefaultInstance()));
              id.ifPresent(request::setServiceLevelObjectiveId);
              ServiceLevelObjective o =
                  services.createServiceLevelObjectiveCallable().call(request.build(), context);
              yield stored(kind, o.getName(), o.getUserLabelsMap(), o);
            }
            case ALERT_POLICY -> {
              AlertPolicy p =
                  policies
                      .createAlertPolicyCallable()
                      .call(
                          CreateAlertPolicyRequest.newBuilder()
                              .setName(parent)
                              .setAlertPolicy(parse(json, AlertPolicy.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, p.getName(), p.getUserLabelsMap(), p);
            }
            case DASHBOARD -> {
              Dashboard d =
                  dashboards
                      .createDashboardCallable()
                      .call(
                          CreateDashboardRequest.newBuilder()
                              .setParent(parent)
                              .setDashboard(parse(json, Dashboard.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, d.getName(), d.getLabelsMap(), d);
            }
          };
        });
  }

  @Override
  public StoredObject replace(Kind kind, String json) {
    return call(
        "replace a " + kind,
        () -> {
          var context = config.callContext(identities);
          return switch (kind) {
            case SERVICE -> {
              Service s =
                  services
                      .updateServiceCallable()
                      .call(
                          UpdateServiceRequest.newBuilder()
                              .setService(parse(json, Service.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, s.getName(), s.getUserLabelsMap(), s);
            }
            case SERVICE_LEVEL_OBJECTIVE -> {
              ServiceLevelObjective o =
                  services
                      .updateServiceLevelObjectiveCallable()
                      .call(
                          UpdateServiceLevelObjectiveRequest.newBuilder()
                              .setServiceLevelObjective(
                                  parse(json, ServiceLevelObjective.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, o.getName(), o.getUserLabelsMap(), o);
            }
            case ALERT_POLICY -> {
              AlertPolicy p =
                  policies
                      .updateAlertPolicyCallable()
                      .call(
                          UpdateAlertPolicyRequest.newBuilder()
                              .setAlertPolicy(parse(json, AlertPolicy.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, p.getName(), p.getUserLabelsMap(), p);
            }
            case DASHBOARD -> {
              Dashboard d =
                  dashboards
                      .updateDashboardCallable()
                      .call(
                          UpdateDashboardRequest.newBuilder()
                              .setDashboard(parse(json, Dashboard.getDefaultInstance()))
                              .build(),
                          context);
              yield stored(kind, d.getName(), d.getLabelsMap(), d);
            }
          };
        });
  }

  @Override
  public void delete(Kind kind, String name) {
    call(
        "delete " + name,
        () -> {
          var context = config.callContext(identities);
          switch (kind) {
            case SERVICE ->
                services
                    .deleteServiceCallable()
                    .call(DeleteServiceRequest.newBuilder().setName(name).build(), context);
            case SERVICE_LEVEL_OBJECTIVE ->
                services
                    .deleteServiceLevelObjectiveCallable()
                    .call(
                        DeleteServiceLevelObjectiveRequest.newBuilder().setName(name).build(),
                        context);
            case ALERT_POLICY ->
                policies
                    .deleteAlertPolicyCallable()
                    .call(DeleteAlertPolicyRequest.newBuilder().setName(name).build(), context);
            case DASHBOARD ->
                dashboards
                    .deleteDashboardCallable()
                    .call(DeleteDashboardRequest.newBuilder().setName(name).build(), context);
          }
          return null;
        });
  }

  @Override
  public void close() {
    services.close();
    policies.close();
    dashboards.close();
  }

  private static <T> T call(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw GrpcErrors.translate(what, e);
    }
  }

  private static StoredObject stored(
      Kind kind, String name, Map<String, String> labels, Message message) {
    try {
      return new StoredObject(kind, name, Map.copyOf(labels), JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw PortException.permanentFailure("cannot print a " + kind + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(String json, T type) {
    try {
      Message.Builder builder = type.newBuilderForType();
      JsonFormat.parser().merge(json, builder);
      return (T) builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw PortException.permanentFailure(
          "not a " + type.getDescriptorForType().getName() + ": " + e.getMessage(), e);
    }
  }
}
