package dev.lumen.testkit.google;

import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.ListRevisionsRequest;
import com.google.cloud.run.v2.ListRevisionsResponse;
import com.google.cloud.run.v2.ListServicesRequest;
import com.google.cloud.run.v2.ListServicesResponse;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionsGrpc;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServiceScaling;
import com.google.cloud.run.v2.ServicesGrpc;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import dev.lumen.ports.CloudRunServices.RevisionInfo;
import dev.lumen.ports.FakeCloudRun;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The Cloud Run Admin API v2 on loopback (plaintext gRPC), serving a {@link FakeCloudRun}:
 * GetService, UpdateService (a long-running operation that is done at once), ListRevisions and
 * GetOperation. The real google-cloud-run client talks to it through an endpoint override.
 */
public final class CloudRunGrpcFake implements AutoCloseable {
  private final FakeCloudRun state;
  private final GrpcFaults faults = new GrpcFaults();
  private final AtomicBoolean conflictNextUpdate = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicReference<Status.Code> failNextOperation =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final CallerLog callers = new CallerLog();
  private final LoopbackGrpcServer server;

  public CloudRunGrpcFake(FakeCloudRun state) {
    this.state = state;
    this.server =
        new LoopbackGrpcServer(callers, new Services(), new Revisions(), new Operations());
  }

  /** Which bearer token each call carried, by the service it named. */
  public CallerLog callers() {
    return callers;
  }

  /** host:port for the client's endpoint override. */
  public String endpoint() {
    return server.endpoint();
  }

  public GrpcFaults faults() {
    return faults;
  }

  /** The next update finds the service changed since it was read: its etag is stale. */
  public void conflictOnNextUpdate() {
    conflictNextUpdate.set(true);
  }

  /**
   * The next update is accepted but its long-running operation ends in {@code code}, as when Cloud
   * Run cannot roll the change out; nothing of it is applied.
   */
  public void failNextOperation(Status.Code code) {
    failNextOperation.set(code);
  }

  private static String revisionName(String service, String revision) {
    return service + "/revisions/" + revision;
  }

  private Service toProto(FakeCloudRun.Service s) {
    var builder =
        Service.newBuilder()
            .setName(s.name())
            .setEtag(s.etag())
            .setGeneration(s.generation())
            .setObservedGeneration(s.generation())
            .setReconciling(false)
            .setScaling(ServiceScaling.newBuilder().setMinInstanceCount(s.minInstances()));
    String latest = s.latestReadyRevision();
    if (latest != null) {
      builder.setLatestReadyRevision(revisionName(s.name(), latest));
      builder.setLatestCreatedRevision(
          revisionName(s.name(), s.revisions().get(s.revisions().size() - 1).name()));
    }
    Map<String, Integer> targets = new LinkedHashMap<>(s.traffic());
    s.tags().keySet().forEach(r -> targets.putIfAbsent(r, 0));
    targets.forEach(
        (revision, percent) -> {
          String tag = s.tags().getOrDefault(revision, "");
          builder.addTraffic(
              TrafficTarget.newBuilder()
                  .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                  .setRevision(revision)
                  .setPercent(percent)
                  .setTag(tag));
        });
    Map<String, Integer> served = new LinkedHashMap<>(state.servingOf(s));
    s.tags().keySet().forEach(r -> served.putIfAbsent(r, 0));
    served.forEach(
        (revision, percent) ->
            builder.addTrafficStatuses(
                TrafficTargetStatus.newBuilder()
                    .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                    .setRevision(revision)
                    .setPercent(percent)
                    .setTag(s.tags().getOrDefault(revision, ""))));
    builder.setTerminalCondition(
        state
            .terminalFailureOf(s)
            .map(
                why ->
                    com.google.cloud.run.v2.Condition.newBuilder()
                        .setType("Ready")
                        .setState(com.google.cloud.run.v2.Condition.State.CONDITION_FAILED)
                        .setMessage(why))
            .orElse(
                com.google.cloud.run.v2.Condition.newBuilder()
                    .setType("Ready")
                    .setState(com.google.cloud.run.v2.Condition.State.CONDITION_SUCCEEDED))
            .build());
    return builder.build();
  }

  private <T> void respond(String method, StreamObserver<T> observer, Supplier<T> body) {
    try {
      faults.enter(method);
      observer.onNext(body.get());
      observer.onCompleted();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
    } catch (FakeCloudRun.EtagMismatch e) {
      observer.onError(Status.ABORTED.withDescription(e.getMessage()).asRuntimeException());
    } catch (IllegalArgumentException e) {
      observer.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  private FakeCloudRun.Service find(String name) {
    return state
        .find(name)
        .orElseThrow(
            () ->
                Status.NOT_FOUND
                    .withDescription("service " + name + " not found")
                    .asRuntimeException());
  }

  private final class Services extends ServicesGrpc.ServicesImplBase {
    @Override
    public void getService(GetServiceRequest request, StreamObserver<Service> observer) {
      callers.record(request.getName());
      respond("GetService", observer, () -> toProto(find(request.getName())));
    }

    /** A location's services in name order, a page at a time (the token is the next index). */
    @Override
    public void listServices(
        ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
      callers.record(request.getParent());
      respond(
          "ListServices",
          observer,
          () -> {
            String[] parent = request.getParent().split("/");
            if (parent.length != 4
                || !parent[0].equals("projects")
                || !parent[2].equals("locations")) {
              throw new IllegalArgumentException(
                  "parent must be projects/PROJECT/locations/REGION: " + request.getParent());
            }
            var page =
                Page.of(
                    state.inLocation(parent[1], parent[3]),
                    request.getPageSize(),
                    request.getPageToken());
            var response = ListServicesResponse.newBuilder();
            page.items().forEach(s -> response.addServices(toProto(s)));
            return response.setNextPageToken(page.nextToken()).build();
          });
    }

    @Override
    public void updateService(UpdateServiceRequest request, StreamObserver<Operation> observer) {
      callers.record(request.getService().getName());
      respond(
          "UpdateService",
          observer,
          () -> {
            Service wanted = request.getService();
            find(wanted.getName());
            if (conflictNextUpdate.getAndSet(false)) {
              state.touch(wanted.getName());
            }
            List<String> paths = request.getUpdateMask().getPathsList();
            Map<String, Integer> traffic = null;
            Map<String, String> tags = null;
            if (paths.contains("traffic")) {
              traffic = new HashMap<>();
              tags = new HashMap<>();
              for (TrafficTarget t : wanted.getTrafficList()) {
                traffic.merge(t.getRevision(), t.getPercent(), Integer::sum);
                if (!t.getTag().isEmpty()) {
                  tags.put(t.getRevision(), t.getTag());
                }
              }
            }
            Integer minInstances =
                paths.contains("scaling.min_instance_count")
                    ? wanted.getScaling().getMinInstanceCount()
                    : null;
            Status.Code operationFailure = failNextOperation.getAndSet(null);
            if (operationFailure != null) {
              return Operation.newBuilder()
                  .setName(wanted.getName() + "/operations/failed")
                  .setDone(true)
                  .setMetadata(Any.pack(toProto(find(wanted.getName()))))
                  .setError(
                      com.google.rpc.Status.newBuilder()
                          .setCode(operationFailure.value())
                          .setMessage("injected: the rollout of this change failed"))
                  .build();
            }
            if (!paths.contains("traffic") && minInstances == null) {
              throw new IllegalArgumentException(
                  "update_mask names nothing this fake updates: " + paths);
            }
            Service updated =
                toProto(
                    state.update(wanted.getName(), wanted.getEtag(), traffic, tags, minInstances));
            String name =
                wanted.getName().replaceFirst("/services/.*", "")
                    + "/operations/op-"
                    + updated.getGeneration();
            Operation operation =
                Operation.newBuilder()
                    .setName(name)
                    .setDone(true)
                    .setMetadata(Any.pack(updated))
                    .setResponse(Any.pack(updated))
                    .build();
            operations.put(name, operation);
            return operation;
          });
    }
  }

  private final class Revisions extends RevisionsGrpc.RevisionsImplBase {
    @Override
    public void listRevisions(
        ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> observer) {
      callers.record(request.getParent());
      respond(
          "ListRevisions",
          observer,
          () -> {
            FakeCloudRun.Service service = find(request.getParent());
            var page = Page.of(service.revisions(), request.getPageSize(), request.getPageToken());
            var response = ListRevisionsResponse.newBuilder();
            for (RevisionInfo r : page.items()) {
              response.addRevisions(
                  Revision.newBuilder()
                      .setName(revisionName(service.name(), r.name()))
                      .setService(service.name())
                      .setReconciling(!r.ready())
                      .setCreateTime(
                          Timestamp.newBuilder()
                              .setSeconds(r.created().getEpochSecond())
                              .setNanos(r.created().getNano())));
            }
            return response.setNextPageToken(page.nextToken()).build();
          });
    }
  }

  /**
   * One page of a list call, as Google's list methods page: {@code pageSize} items (100 when 0)
   * from the index the token names; the next token is empty on the last page.
   */
  private record Page<T>(List<T> items, String nextToken) {
    static <T> Page<T> of(List<T> all, int pageSize, String token) {
      int size = pageSize > 0 ? pageSize : 100;
      int from = token.isEmpty() ? 0 : Integer.parseInt(token);
      int to = Math.min(all.size(), from + size);
      return new Page<>(all.subList(from, to), to < all.size() ? Integer.toString(to) : "");
    }
  }

  private final class Operations extends OperationsGrpc.OperationsImplBase {
    @Override
    public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
      respond(
          "GetOperation",
          observer,
          () ->
              Optional.ofNullable(operations.get(request.getName()))
                  .orElseThrow(
                      () ->
                          Status.NOT_FOUND
                              .withDescription("no operation " + request.getName())
                              .asRuntimeException()));
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
