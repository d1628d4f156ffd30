package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenResource;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates a Lumen resource the way a cluster would, plus what a cluster cannot: schema defaults
 * are applied first (as the API server does), then the OpenAPI schema, then the CEL rules, then the
 * semantic and reference checks. A stage runs only when the one before it passed, so a wrongly
 * typed field yields one clear message rather than a cascade.
 */
public final class ResourceValidator {
  public static final String API_VERSION = SLOTarget.GROUP + "/" + SLOTarget.VERSION;
  private static final Pattern OBJECT_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  private final CrdSchemas schemas;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final Map<String, OpenApiSchemaCheck> schemaChecks = new HashMap<>();
  private final Map<String, CelRuleCheck> celChecks = new HashMap<>();

  /** What the schema and the CEL rules said of each resource (uid), at one generation. */
  private final Map<String, StructuralCheck> structuralChecks = new ConcurrentHashMap<>();

  /**
   * @param specHash the spec's hash, so that a server that does not bump the generation when the
   *     spec changes (the embedded one might not) still gets the spec checked again
   */
  private record StructuralCheck(long generation, int specHash, List<Violation> violations) {}

  public ResourceValidator(CrdSchemas schemas) {
    this.schemas = schemas;
    for (String kind : schemas.kinds()) {
      JsonNode schema = schemas.schemaOf(kind).orElseThrow();
      schemaChecks.put(kind, new OpenApiSchemaCheck(schema));
      celChecks.put(kind, new CelRuleCheck(schema));
    }
  }

  /** Validates a typed resource as read from the cluster. */
  public Validation validate(HasMetadata resource, References references) {
    ObjectNode tree = serialization.convertValue(resource, ObjectNode.class);
    if (!(resource instanceof LumenResource<?, ?> lumen)) {
      return validate(tree, references);
    }
    // The stored spec, not the model's reading of it: the model reads 1.5 for "1.5", and cannot
    // read "fifty" for 50 at all.
    lumen.storedSpec().ifPresent(spec -> tree.set("spec", spec.deepCopy()));
    Validation validation = validate(tree, references);
    if (validation.valid() && lumen.unreadableProblem().isPresent()) {
      // The checks should always find why the model could not read it; if not, say what the
      // reader said rather than pass a spec nobody can act on.
      return rejected(
          validation.kind(),
          validation.name(),
          validation.resource(),
          invalid("spec", "cannot be read: " + lumen.unreadableProblem().get()));
    }
    return validation;
  }

  /**
   * A copy of {@code resource} with the schema's defaults filled in, as an API server stores it.
   * The embedded API server does not default, and a resource must mean the same there as in a
   * cluster.
   */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T withDefaults(T resource) {
    JsonNode tree = serialization.convertValue(resource, JsonNode.class);
    schemas.schemaOf(resource.getKind()).ifPresent(schema -> SchemaDefaulter.apply(schema, tree));
    return (T) serialization.convertValue(tree, resource.getClass());
  }

  /** Validates a resource given as a JSON tree (e.g. read from a file). */
  public Validation validate(JsonNode resource, References references) {
    String kind = resource.path("kind").asText("");
    String name = resource.path("metadata").path("name").asText("");
    String namespace = resource.path("metadata").path("namespace").asText("default");
    var schema = schemas.schemaOf(kind);
    String apiVersion = resource.path("apiVersion").asText("");
    if (!API_VERSION.equals(apiVersion) || schema.isEmpty()) {
      String what =
          kind.isEmpty() && apiVersion.isEmpty()
              ? "apiVersion and kind are missing"
              : "unknown kind \"" + apiVersion + "/" + kind + "\"";
      return rejected(
          kind,
          name,
          resource,
          invalid(
              "kind",
              what
                  + "; Lumen defines LumenPolicy, SLOTarget and LumenProjectBinding in apiVersion "
                  + API_VERSION));
    }
    if (name.isEmpty() || name.length() > 253 || !OBJECT_NAME.matcher(name).matches()) {
      return rejected(
          kind,
          name,
          resource,
          invalid(
              "metadata.name",
              name.isEmpty()
                  ? "required field is missing; give the resource a name"
                  : "\""
                      + name
                      + "\" is not a valid name; use lower-case letters, digits, '-' and"
                      + " '.', at most 253 characters"));
    }
    if (!resource.path("spec").isObject()) {
      return rejected(
          kind,
          name,
          resource,
          invalid("spec", "required field is missing; see samples/ for a " + kind));
    }
    ObjectNode defaulted = resource.deepCopy();
    SchemaDefaulter.apply(schema.get(), defaulted);

    List<Violation> violations = structuralViolations(kind, defaulted);
    if (violations.isEmpty()) {
      violations = semanticChecks(kind, namespace, defaulted, references);
    }
    return new Validation(kind, name, defaulted, violations);
  }

  /**
   * The schema's violations, or when there are none the CEL rules'. They depend on the spec alone,
   * so a resource that was checked at its generation is not checked again: reconciles validate
   * every resource every minute, and the CEL rules were a seventh of the reconcile threads' CPU at
   * 1,000 policies. The semantic checks read other resources (references), and always run.
   */
  private List<Violation> structuralViolations(String kind, ObjectNode defaulted) {
    JsonNode metadata = defaulted.path("metadata");
    String uid = metadata.path("uid").asText("");
    JsonNode generation = metadata.path("generation");
    if (uid.isEmpty() || !generation.isIntegralNumber()) {
      return checkStructure(kind, defaulted);
    }
    int specHash = defaulted.path("spec").hashCode();
    StructuralCheck known = structuralChecks.get(uid);
    if (known != null
        && known.generation() == generation.asLong()
        && known.specHash() == specHash) {
      return known.violations();
    }
    List<Violation> violations = checkStructure(kind, defaulted);
    structuralChecks.put(uid, new StructuralCheck(generation.asLong(), specHash, violations));
    return violations;
  }

  private List<Violation> checkStructure(String kind, ObjectNode defaulted) {
    List<Violation> violations = schemaChecks.get(kind).check(defaulted);
    return violations.isEmpty() ? celChecks.get(kind).check(defaulted) : violations;
  }

  /** Drops what is kept of a deleted resource. */
  public void forget(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    if (uid != null) {
      structuralChecks.remove(uid);
    }
  }

  private List<Violation> semanticChecks(
      String kind, String namespace, JsonNode defaulted, References references) {
    if (kind.equals(HasMetadata.getKind(LumenPolicy.class))) {
      LumenPolicy policy = serialization.convertValue(defaulted, LumenPolicy.class);
      return new LumenPolicyChecks(namespace, references).check(policy.getSpec());
    }
    if (!kind.equals(HasMetadata.getKind(SLOTarget.class))) {
      // A LumenProjectBinding has nothing the schema and its CEL rules do not check.
      return List.of();
    }
    SLOTarget target = serialization.convertValue(defaulted, SLOTarget.class);
    return new SLOTargetChecks(namespace, references).check(target.getSpec());
  }

  private static Validation rejected(
      String kind, String name, JsonNode resource, Violation violation) {
    return new Validation(kind, name, resource, List.of(violation));
  }

  private static Violation invalid(String field, String message) {
    return new Violation(field, message, Conditions.REASON_INVALID_SPEC);
  }

  /** Turns a validated tree into the typed resource, with the schema defaults applied. */
  public <T extends HasMetadata> T typed(Validation validation, Class<T> type) {
    return serialization.convertValue(validation.resource(), type);
  }
}
