package dev.lumen.sim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.cli.Manifests;
import dev.lumen.engine.Durations;
import dev.lumen.sim.scenario.Scenario.Expectation;
import dev.lumen.sim.scenario.Scenario.Happening;
import dev.lumen.sim.scenario.Scenario.ServiceSpec;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.References;
import dev.lumen.validation.ResourceValidator;
import dev.lumen.validation.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a scenario file and checks all of it before anything runs: every problem is reported at
 * once, naming its field and the fix, as for the CRDs. The Lumen resources in it are validated as
 * the operator would.
 */
public final class ScenarioFile {
  /** A service's history before the start is written minute by minute; a week is plenty. */
  private static final Duration MAX_HISTORY = Duration.ofDays(7);

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final Duration LONGEST = Duration.ofDays(31);

  /** A checked scenario and its resources, typed and with the schema defaults applied. */
  public record Loaded(
      Scenario scenario,
      List<LumenPolicy> policies,
      List<SLOTarget> sloTargets,
      List<JsonNode> secrets) {}

  /** Loading the CRD schemas and compiling their CEL rules is done once, when first needed. */
  private static final class Validator {
    static final ResourceValidator INSTANCE = new ResourceValidator(CrdSchemas.load());
  }

  private final String file;
  private final List<String> problems = new ArrayList<>();
  private boolean expectationsRequired = true;

  private ScenarioFile(String file) {
    this.file = file;
  }

  public static Loaded load(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return load(path.toString(), in);
    } catch (IOException e) {
      throw new ScenarioException(path.toString(), List.of("cannot read: " + e.getMessage()));
    }
  }

  /** The scenario shipped in the jar under {@code /scenarios/}. */
  public static Loaded builtIn(String name) {
    String resource = "/scenarios/" + name + ".yaml";
    try (InputStream in = ScenarioFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ScenarioException(resource, List.of("no such built-in scenario"));
      }
      return load(resource, in);
    } catch (IOException e) {
      throw new ScenarioException(resource, List.of("cannot read: " + e.getMessage()));
    }
  }

  /**
   * A scenario written in code, e.g. by a benchmark that generates cases; {@code name} names it in
   * errors.
   */
  public static Loaded parse(String name, String yaml) {
    return load(name, new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  static Loaded load(String file, InputStream in) {
    var reader = new ScenarioFile(file);
    JsonNode tree;
    try {
      tree = YAML.readTree(in);
    } catch (IOException e) {
      throw new ScenarioException(file, List.of("malformed YAML: " + firstLine(e)));
    }
    if (tree == null || !tree.isObject()) {
      throw new ScenarioException(file, List.of("the file holds no scenario"));
    }
    if (!Manifests.isScenario(tree)) {
      throw new ScenarioException(
          file,
          List.of(
              "apiVersion/kind: expected apiVersion "
                  + Scenario.API_VERSION
                  + " and kind "
                  + Scenario.KIND
                  + ", found "
                  + tree.path("apiVersion").asText("(none)")
                  + " "
                  + tree.path("kind").asText("(none)")));
    }
    Scenario scenario;
    try {
      scenario = YAML.treeToValue(tree, Scenario.class);
    } catch (JsonMappingException e) {
      throw new ScenarioException(file, List.of(path(e) + ": " + firstLine(e)));
    } catch (JsonProcessingException e) {
      throw new ScenarioException(file, List.of(firstLine(e)));
    }
    Loaded loaded = reader.check(scenario);
    if (!reader.problems.isEmpty()) {
      throw new ScenarioException(file, reader.problems);
    }
    return loaded;
  }

  private Loaded check(Scenario s) {
    if (s.name() == null || !s.name().matches("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?")) {
      problem("name", "required: lower-case letters, digits and '-', e.g. error-regression");
    }
    if (s.start() != null) {
      try {
        Instant.parse(s.start());
      } catch (DateTimeParseException e) {
        problem(
            "start", "\"" + s.start() + "\" is not RFC 3339 UTC, e.g. " + Scenario.DEFAULT_START);
      }
    }
    Optional<Duration> length = duration("duration", s.duration(), true);
    if (length.isPresent() && length.get().compareTo(LONGEST) > 0) {
      problem("duration", "at most 31d");
    }
    Map<String, Set<String>> revisions = checkServices(s.services());
    for (int i = 0; i < s.metrics().size(); i++) {
      metric("metrics[" + i + "]", s.metrics().get(i));
    }
    checkTimeline(s, length, revisions);
    Set<String> sloTargetNames = new HashSet<>();
    List<LumenPolicy> policies = new ArrayList<>();
    List<SLOTarget> sloTargets = new ArrayList<>();
    List<JsonNode> secrets = new ArrayList<>();
    checkResources(s, policies, sloTargets, secrets, sloTargetNames);
    checkExpectations(s, revisions, sloTargetNames);
    return new Loaded(s, policies, sloTargets, secrets);
  }

  private Map<String, Set<String>> checkServices(List<ServiceSpec> services) {
    Map<String, Set<String>> revisions = new HashMap<>();
    if (services.isEmpty()) {
      problem("services", "at least one Cloud Run service is needed");
    }
    for (int i = 0; i < services.size(); i++) {
      ServiceSpec service = services.get(i);
      String at = "services[" + i + "]";
      if (service.name() == null || !service.name().matches("[a-z]([-a-z0-9]{0,47}[a-z0-9])?")) {
        problem(at + ".name", "required: a Cloud Run service name, e.g. checkout");
        continue;
      }
      if (revisions.containsKey(service.name())) {
        problem(at + ".name", "\"" + service.name() + "\" is declared twice");
      }
      if (service.requestsPerMinute() == null || !(service.requestsPerMinute() > 0)) {
        problem(at + ".requestsPerMinute", "required, greater than 0, e.g. 600 (10 a second)");
      }
      percent(at + ".dailySwingPercent", service.dailySwingPercent());
      duration(at + ".history", service.history(), false)
          .filter(h -> h.compareTo(MAX_HISTORY) > 0)
          .ifPresent(h -> problem(at + ".history", "at most 7d: " + service.history()));
      Set<String> names = new HashSet<>();
      if (service.revision() == null || service.revision().name() == null) {
        problem(at + ".revision.name", "required: the revision serving at the start");
      } else {
        names.add(service.revision().name());
        behaviour(at + ".revision", service.revision());
      }
      if (service.cache() != null) {
        var cache = service.cache();
        SecretKeyReference secret = cache.urlSecretRef();
        if (secret == null || secret.name() == null || secret.key() == null) {
          problem(
              at + ".cache.urlSecretRef",
              "required: the Secret the policy reads the Redis URL from, {name, key}");
        }
        duration(at + ".cache.defaultTtl", cache.defaultTtl(), true);
        duration(at + ".cache.refreshTime", cache.refreshTime(), true);
        if (cache.lookupsPerMinute() != null
            && (cache.lookupsPerMinute() < 1 || cache.lookupsPerMinute() > 100_000)) {
          problem(at + ".cache.lookupsPerMinute", "must lie within 1..100000");
        }
      }
      revisions.put(service.name(), names);
    }
    return revisions;
  }

  /** Happenings are checked in order, so a revision must be deployed before it can change. */
  private void checkTimeline(
      Scenario s, Optional<Duration> length, Map<String, Set<String>> revisions) {
    Duration previous = Duration.ZERO;
    for (int i = 0; i < s.timeline().size(); i++) {
      Happening h = s.timeline().get(i);
      String at = "timeline[" + i + "]";
      if (h.at() == null) {
        problem(at + ".at", "required: when it happens after the start, e.g. 10m");
      }
      Optional<Duration> offset = duration(at + ".at", h.at(), false);
      if (offset.isPresent() && length.isPresent() && offset.get().compareTo(length.get()) > 0) {
        problem(at + ".at", "lies after the end (" + s.duration() + ")");
      }
      if (offset.isPresent() && offset.get().compareTo(previous) < 0) {
        problem(at + ".at", "comes before the happening above it; list the timeline in time order");
      }
      previous = offset.orElse(previous);
      int kinds =
          count(
              h.deploy(),
              h.behave(),
              h.latencyCreep(),
              h.monitoringOutage(),
              h.editTraffic(),
              h.setMetric());
      if (kinds != 1) {
        problem(
            at,
            "set exactly one of deploy, behave, latencyCreep, monitoringOutage, editTraffic,"
                + " setMetric (found "
                + kinds
                + ")");
        continue;
      }
      if (h.deploy() != null) {
        var d = h.deploy();
        if (knownService(at + ".deploy.service", d.service(), revisions)) {
          if (d.revision() == null || !d.revision().startsWith(d.service() + "-")) {
            problem(
                at + ".deploy.revision",
                "required, named after its service, e.g. " + d.service() + "-00002");
          } else if (!revisions.get(d.service()).add(d.revision())) {
            problem(at + ".deploy.revision", d.revision() + " is deployed already");
          }
        }
        behaviour(at + ".deploy", d.behaviour());
      } else if (h.behave() != null) {
        knownRevision(at + ".behave", h.behave().service(), h.behave().revision(), revisions);
        behaviour(at + ".behave", h.behave().behaviour());
      } else if (h.latencyCreep() != null) {
        var c = h.latencyCreep();
        knownRevision(at + ".latencyCreep", c.service(), c.revision(), revisions);
        duration(at + ".latencyCreep.toMedianLatency", c.toMedianLatency(), true);
        duration(at + ".latencyCreep.over", c.over(), true);
      } else if (h.monitoringOutage() != null) {
        duration(at + ".monitoringOutage.for", h.monitoringOutage().lasting(), true);
      } else if (h.setMetric() != null) {
        metric(at + ".setMetric", h.setMetric());
      } else {
        var e = h.editTraffic();
        if (knownService(at + ".editTraffic.service", e.service(), revisions)) {
          checkSplit(at + ".editTraffic.split", e.split(), revisions.get(e.service()));
        }
      }
    }
  }

  private void checkResources(
      Scenario s,
      List<LumenPolicy> policies,
      List<SLOTarget> sloTargets,
      List<JsonNode> secrets,
      Set<String> sloTargetNames) {
    Map<String, Set<String>> secretKeys = new HashMap<>();
    for (ServiceSpec service : s.services()) {
      if (service.cache() != null && service.cache().urlSecretRef() != null) {
        var ref = service.cache().urlSecretRef();
        secretKeys.computeIfAbsent(ref.name(), n -> new HashSet<>()).add(ref.key());
      }
    }
    for (JsonNode resource : s.resources()) {
      if (SLOTarget.class.getSimpleName().equals(resource.path("kind").asText())) {
        sloTargetNames.add(resource.path("metadata").path("name").asText());
      }
      if ("Secret".equals(resource.path("kind").asText())) {
        Set<String> keys = secretKeys.computeIfAbsent(name(resource), n -> new HashSet<>());
        resource.path("stringData").fieldNames().forEachRemaining(keys::add);
        resource.path("data").fieldNames().forEachRemaining(keys::add);
      }
    }
    References references =
        new References() {
          @Override
          public boolean sloTargetExists(String namespace, String name) {
            return sloTargetNames.contains(name);
          }

          @Override
          public boolean seesSecrets() {
            return true;
          }

          @Override
          public Optional<Set<String>> secretKeys(String namespace, String name) {
            return Optional.ofNullable(secretKeys.get(name));
          }
        };
    Set<String> simulated =
        s.services().stream()
            .filter(service -> service.name() != null)
            .map(service -> service.reference().resourceName())
            .collect(Collectors.toSet());
    var validator = Validator.INSTANCE;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.resources().size(); i++) {
      JsonNode resource = s.resources().get(i);
      String at = "resources[" + i + "]";
      if ("v1".equals(resource.path("apiVersion").asText())
          && "Secret".equals(resource.path("kind").asText())) {
        secrets.add(resource);
        continue;
      }
      if (resource.path("metadata").has("namespace")) {
        problem(
            at + ".metadata.namespace",
            "leave it out: the simulator applies every resource in one namespace of its own");
      }
      Validation validation = validator.validate(resource, references);
      String subject = validation.kind() + "/" + validation.name();
      if (!names.add(subject)) {
        problem(at, subject + " is declared twice");
      }
      validation
          .violations()
          .forEach(v -> problem(at + " " + subject + ": " + v.field(), v.message()));
      if (!validation.valid()) {
        continue;
      }
      CloudRunServiceReference service;
      if (validation.kind().equals("LumenPolicy")) {
        LumenPolicy policy = validator.typed(validation, LumenPolicy.class);
        policies.add(policy);
        service = policy.getSpec().service().cloudRun();
      } else {
        SLOTarget target = validator.typed(validation, SLOTarget.class);
        sloTargets.add(target);
        service = target.getSpec().service().cloudRun();
      }
      if (!simulated.contains(service.resourceName())) {
        problem(
            at + " " + subject + ": spec.service.cloudRun",
            service.resourceName()
                + " is not simulated; add it under services (project defaults to "
                + Scenario.DEFAULT_PROJECT
                + ", region to "
                + Scenario.DEFAULT_REGION
                + ")");
      }
    }
  }

  /**
   * Checks a scenario made from recorded metrics: like a file's, except that it needs no
   * expectations.
   */
  static Loaded checkRecorded(String file, Scenario scenario) {
    var reader = new ScenarioFile(file);
    reader.expectationsRequired = false;
    Loaded loaded = reader.check(scenario);
    if (!reader.problems.isEmpty()) {
      throw new ScenarioException(file, reader.problems);
    }
    return loaded;
  }

  private void checkExpectations(
      Scenario s, Map<String, Set<String>> revisions, Set<String> sloTargetNames) {
    if (s.expect().isEmpty() && expectationsRequired) {
      problem("expect", "at least one expectation is needed, e.g. - promoted: {service, revision}");
    }
    for (int i = 0; i < s.expect().size(); i++) {
      Expectation e = s.expect().get(i);
      String at = "expect[" + i + "]";
      int kinds =
          count(
              e.promoted(),
              e.rolledBack(),
              e.noRollback(),
              e.noTrafficChange(),
              e.traffic(),
              e.minInstances(),
              e.cacheTtl(),
              e.sloState(),
              e.objectivesMeasured());
      if (kinds != 1) {
        problem(
            at,
            "set exactly one of promoted, rolledBack, noRollback, noTrafficChange, traffic,"
                + " minInstances, cacheTtl, sloState, objectivesMeasured (found "
                + kinds
                + ")");
        continue;
      }
      if (e.promoted() != null) {
        knownRevision(at + ".promoted", e.promoted().service(), e.promoted().revision(), revisions);
        duration(at + ".promoted.by", e.promoted().by(), false);
      } else if (e.rolledBack() != null) {
        var r = e.rolledBack();
        knownRevision(at + ".rolledBack", r.service(), r.revision(), revisions);
        duration(at + ".rolledBack.within", r.within(), true);
      } else if (e.noRollback() != null) {
        knownService(at + ".noRollback.service", e.noRollback().service(), revisions);
      } else if (e.noTrafficChange() != null) {
        var w = e.noTrafficChange();
        knownService(at + ".noTrafficChange.service", w.service(), revisions);
        duration(at + ".noTrafficChange.from", w.from(), true);
        duration(at + ".noTrafficChange.until", w.until(), true);
      } else if (e.traffic() != null) {
        if (knownService(at + ".traffic.service", e.traffic().service(), revisions)) {
          checkSplit(
              at + ".traffic.split", e.traffic().split(), revisions.get(e.traffic().service()));
        }
      } else if (e.minInstances() != null) {
        var r = e.minInstances();
        knownService(at + ".minInstances.service", r.service(), revisions);
        count(at + ".minInstances.atLeast", r.atLeast());
        count(at + ".minInstances.atMost", r.atMost());
      } else if (e.cacheTtl() != null) {
        var r = e.cacheTtl();
        if (knownService(at + ".cacheTtl.service", r.service(), revisions)
            && s.service(r.service()).cache() == null) {
          problem(at + ".cacheTtl.service", r.service() + " has no cache; add services[].cache");
        }
        duration(at + ".cacheTtl.atLeast", r.atLeast(), false);
        duration(at + ".cacheTtl.atMost", r.atMost(), false);
      } else if (e.objectivesMeasured() != null) {
        String name = e.objectivesMeasured().sloTarget();
        if (name == null || !sloTargetNames.contains(name)) {
          problem(at + ".objectivesMeasured.sloTarget", "names no SLOTarget among the resources");
        }
      } else {
        var st = e.sloState();
        if (st.sloTarget() == null || !sloTargetNames.contains(st.sloTarget())) {
          problem(at + ".sloState.sloTarget", "names no SLOTarget among the resources");
        }
        if (st.in() == null || st.in().isEmpty()) {
          problem(at + ".sloState.in", "required, e.g. [Healthy, Warning]");
        }
      }
    }
  }

  private void metric(String at, Scenario.MetricSpec metric) {
    if ((metric.promql() == null) == (metric.type() == null)) {
      problem(
          at,
          "set exactly one of promql (a query's one series) or type (a Monitoring metric type)");
    }
    if (metric.value() == null || !Double.isFinite(metric.value())) {
      problem(at + ".value", "required: the value the metric reads, e.g. 1");
    }
  }

  private void checkSplit(String at, Map<String, Integer> split, Set<String> revisions) {
    if (split == null || split.isEmpty()) {
      problem(at, "required: percent per revision, e.g. {checkout-00001: 100}");
      return;
    }
    if (split.values().stream().mapToInt(Integer::intValue).sum() != 100) {
      problem(at, "the percentages must add up to 100");
    }
    split.keySet().stream()
        .filter(r -> !revisions.contains(r))
        .forEach(r -> problem(at, r + " is not a revision of the service by then"));
  }

  private boolean knownService(String at, String service, Map<String, Set<String>> revisions) {
    if (service == null || !revisions.containsKey(service)) {
      problem(at, "names no service under services: " + service);
      return false;
    }
    return true;
  }

  private void knownRevision(
      String at, String service, String revision, Map<String, Set<String>> revisions) {
    if (knownService(at + ".service", service, revisions)
        && !revisions.get(service).contains(revision)) {
      problem(
          at + ".revision",
          revision + " is not a revision of " + service + " (declared or deployed earlier)");
    }
  }

  private void behaviour(String at, Scenario.RevisionSpec revision) {
    percent(at + ".errorPercent", revision.errorPercent());
    percent(at + ".coldStartPercent", revision.coldStartPercent());
    duration(at + ".medianLatency", revision.medianLatency(), false);
  }

  private void percent(String at, Double value) {
    if (value != null && !(value >= 0 && value <= 100)) {
      problem(at, "a percentage within 0..100");
    }
  }

  private void count(String at, String value) {
    if (value != null && !value.matches("\\d{1,4}")) {
      problem(at, "a whole number, e.g. 1");
    }
  }

  private Optional<Duration> duration(String at, String text, boolean required) {
    if (text == null) {
      if (required) {
        problem(at, "required, a duration such as 30s, 5m or 1h30m");
      }
      return Optional.empty();
    }
    try {
      Duration d = Durations.parse(text);
      if (required && d.isZero()) {
        problem(at, "must be longer than 0");
      }
      return Optional.of(d);
    } catch (IllegalArgumentException e) {
      problem(at, "\"" + text + "\" is not a duration; write e.g. 30s, 5m or 1h30m");
      return Optional.empty();
    }
  }

  private static int count(Object... kinds) {
    return (int) Stream.of(kinds).filter(k -> k != null).count();
  }

  private void problem(String field, String message) {
    problems.add(field + ": " + message);
  }

  private static String name(JsonNode resource) {
    return resource.path("metadata").path("name").asText();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      }
    }
    return path.isEmpty() ? "(top level)" : path.toString();
  }

  private static String firstLine(IOException e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
