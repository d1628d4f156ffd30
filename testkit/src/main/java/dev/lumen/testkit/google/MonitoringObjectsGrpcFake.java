package dev.lumen.testkit.google;

import com.google.monitoring.dashboard.v1.CreateDashboardRequest;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.DashboardsServiceGrpc;
import com.google.monitoring.dashboard.v1.DeleteDashboardRequest;
import com.google.monitoring.dashboard.v1.ListDashboardsRequest;
import com.google.monitoring.dashboard.v1.ListDashboardsResponse;
import com.google.monitoring.dashboard.v1.UpdateDashboardRequest;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.AlertPolicyServiceGrpc;
import com.google.monitoring.v3.CreateAlertPolicyRequest;
import com.google.monitoring.v3.CreateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.CreateServiceRequest;
import com.google.monitoring.v3.DeleteAlertPolicyRequest;
import com.google.monitoring.v3.DeleteServiceLevelObjectiveRequest;
import com.google.monitoring.v3.DeleteServiceRequest;
import com.google.monitoring.v3.ListAlertPoliciesRequest;
import com.google.monitoring.v3.ListAlertPoliciesResponse;
import com.google.monitoring.v3.ListServiceLevelObjectivesRequest;
import com.google.monitoring.v3.ListServiceLevelObjectivesResponse;
import com.google.monitoring.v3.ListServicesRequest;
import com.google.monitoring.v3.ListServicesResponse;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.ServiceMonitoringServiceGrpc;
import com.google.monitoring.v3.UpdateAlertPolicyRequest;
import com.google.monitoring.v3.UpdateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.UpdateServiceRequest;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.ports.FakeMonitoringObjects;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import dev.lumen.ports.PortException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cloud Monitoring's Service Monitoring, Alert Policy and Dashboards APIs on loopback (plaintext
 * gRPC), backed by a {@link FakeMonitoringObjects}. Objects are held to the APIs' rules ({@link
 * MonitoringObjectRules}): a broken one is INVALID_ARGUMENT naming the field, as Google would
 * answer. Lists come in one page.
 */
public final class MonitoringObjectsGrpcFake implements AutoCloseable {
  private final FakeMonitoringObjects store;
  private final CallerLog callers = new CallerLog();
  private final LoopbackGrpcServer server;

  public MonitoringObjectsGrpcFake(FakeMonitoringObjects store) {
    this.store = store;
    this.server =
        new LoopbackGrpcServer(callers, new Services(), new AlertPolicies(), new Dashboards());
  }

  public String endpoint() {
    return server.endpoint();
  }

  public FakeMonitoringObjects store() {
    return store;
  }

  /** Which bearer token each call carried, by the parent or object it named. */
  public CallerLog callers() {
    return callers;
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Services
      extends ServiceMonitoringServiceGrpc.ServiceMonitoringServiceImplBase {
    @Override
    public void createService(CreateServiceRequest request, StreamObserver<Service> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            valid(MonitoringObjectRules.check(request.getService()));
            return parse(
                store
                    .create(
                        Kind.SERVICE,
                        request.getParent(),
                        optional(request.getServiceId()),
                        print(request.getService()))
                    .json(),
                Service.getDefaultInstance());
          });
    }

    @Override
    public void listServices(
        ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            var response = ListServicesResponse.newBuilder();
            for (var o : store.list(Kind.SERVICE, request.getParent())) {
              response.addServices(parse(o.json(), Service.getDefaultInstance()));
            }
            return response.build();
          });
    }

    @Override
    public void updateService(UpdateServiceRequest request, StreamObserver<Service> observer) {
      answer(
          observer,
          request.getService().getName(),
          () -> {
            valid(MonitoringObjectRules.check(request.getService()));
            return parse(
                store.replace(Kind.SERVICE, print(request.getService())).json(),
                Service.getDefaultInstance());
          });
    }

    @Override
    public void deleteService(DeleteServiceRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            store.delete(Kind.SERVICE, request.getName());
            return Empty.getDefaultInstance();
          });
    }

    @Override
    public void createServiceLevelObjective(
        CreateServiceLevelObjectiveRequest request,
        StreamObserver<ServiceLevelObjective> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            valid(MonitoringObjectRules.check(request.getServiceLevelObjective()));
            return parse(
                store
                    .create(
                        Kind.SERVICE_LEVEL_OBJECTIVE,
                        request.getParent(),
                        optional(request.getServiceLevelObjectiveId()),
                        print(request.getServiceLevelObjective()))
                    .json(),
                ServiceLevelObjective.getDefaultInstance());
          });
    }

    @Override
    public void listServiceLevelObjectives(
        ListServiceLevelObjectivesRequest request,
        StreamObserver<ListServiceLevelObjectivesResponse> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            var response = ListServiceLevelObjectivesResponse.newBuilder();
            for (var o : store.list(Kind.SERVICE_LEVEL_OBJECTIVE, request.getParent())) {
              response.addServiceLevelObjectives(
                  parse(o.json(), ServiceLevelObjective.getDefaultInstance()));
            }
            return response.build();
          });
    }

    @Override
    public void updateServiceLevelObjective(
        UpdateServiceLevelObjectiveRequest request,
        StreamObserver<ServiceLevelObjective> observer) {
      answer(
          observer,
          request.getServiceLevelObjective().getName(),
          () -> {
            valid(MonitoringObjectRules.check(request.getServiceLevelObjective()));
            return parse(
                store
                    .replace(
                        Kind.SERVICE_LEVEL_OBJECTIVE, print(request.getServiceLevelObjective()))
                    .json(),
                ServiceLevelObjective.getDefaultInstance());
          });
    }

    @Override
    public void deleteServiceLevelObjective(
        DeleteServiceLevelObjectiveRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            store.delete(Kind.SERVICE_LEVEL_OBJECTIVE, request.getName());
            return Empty.getDefaultInstance();
          });
    }
  }

  private final class AlertPolicies extends AlertPolicyServiceGrpc.AlertPolicyServiceImplBase {
    @Override
    public void createAlertPolicy(
        CreateAlertPolicyRequest request, StreamObserver<AlertPolicy> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            valid(MonitoringObjectRules.check(request.getAlertPolicy()));
            sloExists(request.getAlertPolicy());
            return parse(
                store
                    .create(
                        Kind.ALERT_POLICY,
                        request.getName(),
                        Optional.empty(),
                        print(request.getAlertPolicy()))
                    .json(),
                AlertPolicy.getDefaultInstance());
          });
    }

    @Override
    public void listAlertPolicies(
        ListAlertPoliciesRequest request, StreamObserver<ListAlertPoliciesResponse> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            var response = ListAlertPoliciesResponse.newBuilder();
            for (var o : store.list(Kind.ALERT_POLICY, request.getName())) {
              response.addAlertPolicies(parse(o.json(), AlertPolicy.getDefaultInstance()));
            }
            return response.build();
          });
    }

    @Override
    public void updateAlertPolicy(
        UpdateAlertPolicyRequest request, StreamObserver<AlertPolicy> observer) {
      answer(
          observer,
          request.getAlertPolicy().getName(),
          () -> {
            valid(MonitoringObjectRules.check(request.getAlertPolicy()));
            sloExists(request.getAlertPolicy());
            return parse(
                store.replace(Kind.ALERT_POLICY, print(request.getAlertPolicy())).json(),
                AlertPolicy.getDefaultInstance());
          });
    }

    @Override
    public void deleteAlertPolicy(
        DeleteAlertPolicyRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            store.delete(Kind.ALERT_POLICY, request.getName());
            return Empty.getDefaultInstance();
          });
    }
  }

  private final class Dashboards extends DashboardsServiceGrpc.DashboardsServiceImplBase {
    @Override
    public void createDashboard(
        CreateDashboardRequest request, StreamObserver<Dashboard> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            valid(MonitoringObjectRules.check(request.getDashboard()));
            return parse(
                store
                    .create(
                        Kind.DASHBOARD,
                        request.getParent(),
                        Optional.empty(),
                        print(request.getDashboard()))
                    .json(),
                Dashboard.getDefaultInstance());
          });
    }

    @Override
    public void listDashboards(
        ListDashboardsRequest request, StreamObserver<ListDashboardsResponse> observer) {
      answer(
          observer,
          request.getParent(),
          () -> {
            var response = ListDashboardsResponse.newBuilder();
            for (var o : store.list(Kind.DASHBOARD, request.getParent())) {
              response.addDashboards(parse(o.json(), Dashboard.getDefaultInstance()));
            }
            return response.build();
          });
    }

    @Override
    public void updateDashboard(
        UpdateDashboardRequest request, StreamObserver<Dashboard> observer) {
      answer(
          observer,
          request.getDashboard().getName(),
          () -> {
            valid(MonitoringObjectRules.check(request.getDashboard()));
            return parse(
                store.replace(Kind.DASHBOARD, print(request.getDashboard())).json(),
                Dashboard.getDefaultInstance());
          });
    }

    @Override
    public void deleteDashboard(DeleteDashboardRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          request.getName(),
          () -> {
            store.delete(Kind.DASHBOARD, request.getName());
            return Empty.getDefaultInstance();
          });
    }
  }

  /** A burn-rate condition must read an SLO that exists, as the API checks. */
  private void sloExists(AlertPolicy policy) {
    for (var condition : policy.getConditionsList()) {
      var slo = MonitoringObjectRules.burnRateSlo(condition);
      if (slo.isPresent()) {
        String service = slo.get().substring(0, slo.get().indexOf("/serviceLevelObjectives/"));
        boolean exists =
            store.all(Kind.SERVICE).containsKey(service)
                && store.all(Kind.SERVICE_LEVEL_OBJECTIVE).containsKey(slo.get());
        if (!exists) {
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "select_slo_burn_rate names an SLO that does not exist: " + slo.get())
              .asRuntimeException();
        }
      }
    }
  }

  private <T> void answer(StreamObserver<T> observer, String resource, Supplier<T> work) {
    try {
      callers.record(resource);
      observer.onNext(work.get());
      observer.onCompleted();
    } catch (io.grpc.StatusRuntimeException e) {
      observer.onError(e);
    } catch (PortException e) {
      observer.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /** The fake store's failures start with the gRPC status they stand for. */
  private static Status status(PortException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int colon = message.indexOf(':');
    if (colon > 0) {
      try {
        return Status.fromCode(Status.Code.valueOf(message.substring(0, colon)));
      } catch (IllegalArgumentException notACode) {
        // Falls through.
      }
    }
    return e.isTransient() ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION;
  }

  private static void valid(List<String> problems) {
    if (!problems.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(String.join("; ", problems))
          .asRuntimeException();
    }
  }

  private static Optional<String> optional(String id) {
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  private static String print(Message message) {
    try {
      return JsonFormat.printer().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(String json, T type) {
    try {
      Message.Builder builder = type.newBuilderForType();
      JsonFormat.parser().merge(json, builder);
      return (T) builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
