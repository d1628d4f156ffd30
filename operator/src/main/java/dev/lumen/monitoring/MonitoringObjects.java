package dev.lumen.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.act.MonitoringObjectsSync;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Cloud Monitoring object one SLOTarget stands for, and the objectives the SLO API cannot
 * express with the reason.
 *
 * @param project where the objects live: the SLOTarget's metrics scope
 */
public record MonitoringObjects(
    String project,
    Service service,
    List<ServiceLevelObjective> objectives,
    List<AlertPolicy> alertPolicies,
    Dashboard dashboard,
    List<NotExpressed> notExpressed) {

  /** An objective that has no ServiceLevelObjective, and why. */
  public record NotExpressed(String objective, String why) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param policy the LumenPolicy of the same service, if any: its gates draw limits on the
   *     dashboard
   */
  public static MonitoringObjects of(SLOTarget target, Optional<LumenPolicy> policy) {
    var slos = SloDefinitions.render(target);
    return new MonitoringObjects(
        SloDefinitions.project(target),
        slos.service(),
        slos.objectives(),
        BurnRatePolicies.render(target, slos.objectives()),
        LumenDashboard.render(target, policy),
        slos.notExpressed().stream().map(n -> new NotExpressed(n.objective(), n.why())).toList());
  }

  /**
   * The objects as the sync wants them, in the order they must be made: the Service, its SLOs, the
   * policies that read them, the dashboard.
   */
  public List<MonitoringObjectsSync.Desired> desired() {
    String parent = "projects/" + project;
    List<MonitoringObjectsSync.Desired> desired = new java.util.ArrayList<>();
    desired.add(
        new MonitoringObjectsSync.Desired(
            Kind.SERVICE,
            parent,
            Optional.of(lastSegment(service.getName())),
            Map.of(),
            print(service)));
    for (ServiceLevelObjective slo : objectives) {
      desired.add(
          new MonitoringObjectsSync.Desired(
              Kind.SERVICE_LEVEL_OBJECTIVE,
              service.getName(),
              Optional.of(lastSegment(slo.getName())),
              Map.of(),
              print(slo)));
    }
    for (AlertPolicy policy : alertPolicies) {
      desired.add(
          new MonitoringObjectsSync.Desired(
              Kind.ALERT_POLICY,
              parent,
              Optional.empty(),
              Map.of(
                  BurnRatePolicies.OBJECTIVE,
                  policy.getUserLabelsOrThrow(BurnRatePolicies.OBJECTIVE),
                  BurnRatePolicies.BURN,
                  policy.getUserLabelsOrThrow(BurnRatePolicies.BURN)),
              print(policy)));
    }
    desired.add(
        new MonitoringObjectsSync.Desired(
            Kind.DASHBOARD, parent, Optional.empty(), Map.of(), print(dashboard)));
    return desired;
  }

  /** Where the SLOTarget's objects can be: its project, and its Service for SLOs. */
  public Map<Kind, List<String>> scope() {
    return scope(project, service.getName());
  }

  /** The same, from the names alone: deleting a SLOTarget's objects needs no rendering of them. */
  public static Map<Kind, List<String>> scope(SLOTarget target) {
    return scope(SloDefinitions.project(target), SloDefinitions.serviceName(target));
  }

  private static Map<Kind, List<String>> scope(String project, String serviceName) {
    String parent = "projects/" + project;
    return Map.of(
        Kind.SERVICE, List.of(parent),
        Kind.SERVICE_LEVEL_OBJECTIVE, List.of(serviceName),
        Kind.ALERT_POLICY, List.of(parent),
        Kind.DASHBOARD, List.of(parent));
  }

  private static String lastSegment(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static String print(MessageOrBuilder message) {
    return json(message).toString();
  }

  /** The objects as the APIs' JSON, in one document. */
  public JsonNode toJson() {
    ObjectNode document = JSON.createObjectNode();
    document.put("project", project);
    document.set("service", json(service));
    var slos = document.putArray("serviceLevelObjectives");
    objectives.forEach(o -> slos.add(json(o)));
    var policies = document.putArray("alertPolicies");
    alertPolicies.forEach(p -> policies.add(json(p)));
    document.set("dashboard", json(dashboard));
    var missing = document.putArray("notExpressed");
    notExpressed.forEach(
        n -> missing.addObject().put("objective", n.objective()).put("why", n.why()));
    return document;
  }

  static JsonNode json(MessageOrBuilder message) {
    try {
      return JSON.readTree(JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a rendered object does not print as JSON", e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
