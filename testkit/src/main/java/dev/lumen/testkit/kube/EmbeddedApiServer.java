package dev.lumen.testkit.kube;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process Kubernetes API server on loopback (fabric8's mock server in CRUD mode) with Lumen's
 * CRDs installed. It stores, lists and watches resources like a real one, but does not check
 * schemas or CEL rules, which is why the reconcilers validate again.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  /** The Kubernetes version the embedded server says it is, for kubectl's version checks. */
  static final String VERSION = "v1.31.0";

  private static final List<String> CRD_RESOURCES =
      List.of(
          "/dev/lumen/crds/lumenpolicies.lumen.dev-v1.yml",
          "/dev/lumen/crds/slotargets.lumen.dev-v1.yml",
          "/dev/lumen/crds/lumenprojectbindings.lumen.dev-v1.yml");

  // Held strongly: java.util.logging forgets levels set on loggers nobody references.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final Dispatcher dispatcher;
  private final KubernetesClient adminClient;
  private KubectlFront kubectlFront;

  private EmbeddedApiServer(KubernetesMockServer server, Dispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.adminClient = server.createClient();
  }

  /** Starts a server on a free loopback port and installs the CRDs. */
  public static EmbeddedApiServer start() {
    var dispatcher = new Dispatcher();
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    var embedded = new EmbeddedApiServer(server, dispatcher);
    embedded.installCrds();
    return embedded;
  }

  /**
   * Stores resources like the CRUD dispatcher, and answers "what may I do?" with "everything": the
   * embedded server has no RBAC, and java-operator-sdk asks before it joins leader election.
   *
   * <p>Like a real API server, and unlike the CRUD dispatcher, it serves a custom resource only
   * once a CRD defines it: otherwise 404, which is how a client learns an optional CRD (such as the
   * Prometheus Operator's) is not installed.
   */
  private static final class Dispatcher extends KubernetesCrudDispatcher {
    private static final String RULES_REVIEWS =
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Pattern GROUP_RESOURCE =
        Pattern.compile("/apis/([^/]+)/[^/]+/(?:namespaces/[^/]+/)?([^/?]+)");

    private final Set<String> definedResources = ConcurrentHashMap.newKeySet();
    private final Queue<Integer> statusWriteFailures = new ConcurrentLinkedQueue<>();

    private final NameIndexedStore store;

    Dispatcher() {
      super(List.of());
      store = NameIndexedStore.install(this);
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
      return store.find(query, () -> super.findResource(query));
    }

    private static MockResponse status(int code, String reason, String message) {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(
              Serialization.asJson(
                  new StatusBuilder()
                      .withStatus("Failure")
                      .withReason(reason)
                      .withCode(code)
                      .withMessage(message)
                      .build()));
    }

    /**
     * Like a real API server, and unlike the CRUD dispatcher, a JSON patch whose {@code remove} or
     * {@code replace} names a path the resource does not have fails whole with 422.
     */
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type != null && type.startsWith("application/json-patch+json")) {
        // The stored resource, read without handleGet, which would empty the request's body.
        var stored = findResource(getKey(request.getPath().split("\\?")[0]));
        if (stored != null) {
          JsonNode resource = Serialization.unmarshal(stored.getValue(), JsonNode.class);
          // getBytes, not getUtf8Body: the body must still be there for the patch itself.
          JsonNode operations =
              Serialization.unmarshal(
                  new String(request.getBody().getBytes(), StandardCharsets.UTF_8), JsonNode.class);
          for (JsonNode op : operations) {
            String name = op.path("op").asText();
            String path = op.path("path").asText();
            if (("remove".equals(name) || "replace".equals(name))
                && resource.at(JsonPointer.compile(path)).isMissingNode()) {
              return status(
                  422,
                  "Invalid",
                  "the server rejected our request due to an error in our request: jsonpatch "
                      + name
                      + " operation does not apply: doc is missing path: "
                      + path);
            }
          }
        }
      }
      return super.handlePatch(request);
    }

    /** Kubernetes' own groups are a single word (apps, batch) or end in .k8s.io. */
    private static boolean isCustom(String group) {
      return group.contains(".") && !group.endsWith(".k8s.io");
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"GET".equals(request.getMethod())
          && request.getPath().split("\\?")[0].endsWith("/status")) {
        Integer failure = statusWriteFailures.poll();
        if (failure != null) {
          return status(failure, failure == 409 ? "Conflict" : "InternalError", "injected fault");
        }
      }
      Matcher resource = GROUP_RESOURCE.matcher(request.getPath());
      if (resource.lookingAt()
          && isCustom(resource.group(1))
          && !definedResources.contains(resource.group(2) + "." + resource.group(1))) {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      if ("POST".equals(request.getMethod()) && CRDS.equals(request.getPath())) {
        var crd =
            Serialization.unmarshal(
                new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
                CustomResourceDefinition.class);
        MockResponse response = super.dispatch(request);
        // The name of a CRD is <plural>.<group>, by the API server's own rule.
        definedResources.add(crd.getMetadata().getName());
        return response;
      }
      if ("POST".equals(request.getMethod()) && RULES_REVIEWS.equals(request.getPath())) {
        var review =
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("*")
                .withResources("*")
                .withVerbs("*")
                .endResourceRule()
                .endStatus()
                .build();
        return new MockResponse()
            .setResponseCode(201)
            .setHeader("Content-Type", "application/json")
            .setBody(Serialization.asJson(review));
      }
      return super.dispatch(request);
    }
  }

  private void installCrds() {
    for (String resource : CRD_RESOURCES) {
      try (InputStream in = EmbeddedApiServer.class.getResourceAsStream(resource)) {
        var crd =
            adminClient.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        adminClient.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The next {@code times} writes of any resource's status fail with HTTP {@code code} (409 a
   * conflict, 5xx a server error), as a busy or failing API server answers.
   */
  public void failStatusWrites(int code, int times) {
    for (int i = 0; i < times; i++) {
      dispatcher.statusWriteFailures.add(code);
    }
  }

  /** A new client for this server; the caller closes it. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** The base URL of the API server. */
  public String url() {
    return server.url("/");
  }

  /**
   * The environment that points a fabric8 client in another process here, as a kubeconfig would: no
   * kubeconfig or service account is tried.
   */
  public static Map<String, String> clientEnvironment(String url) {
    return Map.of(
        "KUBERNETES_MASTER", url,
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
        "KUBERNETES_NAMESPACE", "default");
  }

  /**
   * Serves kubectl from now on (discovery, OpenAPI, tables, streamed watches; see {@link
   * KubectlFront}) and returns where: the server to put in a kubeconfig.
   */
  public synchronized String serveKubectl() {
    if (kubectlFront == null) {
      kubectlFront = KubectlFront.start(URI.create(url()), adminClient, Clock.systemUTC());
    }
    return kubectlFront.url();
  }

  /**
   * Writes a kubeconfig whose current context is this server, for kubectl and for any client that
   * reads kubeconfigs (such as {@code kubectl lumen}), and returns its path.
   */
  public Path writeKubeconfig(Path path) throws IOException {
    return writeKubeconfig(path, "default");
  }

  /** As {@link #writeKubeconfig(Path)}, with this namespace in its context. */
  public Path writeKubeconfig(Path path, String namespace) throws IOException {
    String server = serveKubectl();
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        path,
        String.join(
            "\n",
            "# Lumen's local cluster: the embedded Kubernetes API server of a Lumen process.",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: lumen-local",
            "  cluster:",
            "    server: " + server,
            "users:",
            "- name: lumen-local",
            "  user: {}",
            "contexts:",
            "- name: lumen-local",
            "  context:",
            "    cluster: lumen-local",
            "    user: lumen-local",
            "    namespace: " + namespace,
            "current-context: lumen-local",
            ""));
    return path;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (kubectlFront != null) {
        kubectlFront.close();
      }
    }
    adminClient.close();
    server.destroy();
  }
}
