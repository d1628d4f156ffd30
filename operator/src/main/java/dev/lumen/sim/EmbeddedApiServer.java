package dev.lumen.sim;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API server on loopback (fabric8's mock server in CRUD mode) with Lumen's
 * CRDs installed. It stores, lists and watches resources like a real one, but does not check
 * schemas or CEL rules, which is why the reconcilers validate again.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  private static final List<String> CRD_RESOURCES =
      List.of(
          "/dev/lumen/crds/lumenpolicies.lumen.dev-v1.yml",
          "/dev/lumen/crds/slotargets.lumen.dev-v1.yml");

  // Held strongly: java.util.logging forgets levels set on loggers nobody references.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient adminClient;

  private EmbeddedApiServer(KubernetesMockServer server) {
    this.server = server;
    this.adminClient = server.createClient();
  }

  /** Starts a server on a free loopback port and installs the CRDs. */
  public static EmbeddedApiServer start() {
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new Dispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    var embedded = new EmbeddedApiServer(server);
    embedded.installCrds();
    return embedded;
  }

  /**
   * Stores resources like the CRUD dispatcher, and answers "what may I do?" with "everything": the
   * embedded server has no RBAC, and java-operator-sdk asks before it joins leader election.
   */
  private static final class Dispatcher extends KubernetesCrudDispatcher {
    private static final String RULES_REVIEWS =
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    Dispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
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

  /** A new client for this server; the caller closes it. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** The base URL of the API server. */
  public String url() {
    return server.url("/");
  }

  @Override
  public void close() {
    adminClient.close();
    server.destroy();
  }
}
