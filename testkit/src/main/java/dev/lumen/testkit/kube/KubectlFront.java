package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lumen.testkit.kube.ApiDiscovery.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded API server's front for kubectl, on a loopback port of its own. fabric8's mock server
 * stores and watches resources but answers none of what kubectl asks first, so this serves
 * discovery, OpenAPI, server-side tables with the CRDs' printer columns, field selectors on any
 * field, and watches as an HTTP stream (the mock watches only over WebSockets), and passes
 * everything else to the mock unchanged.
 */
final class KubectlFront implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KubectlFront.class.getName());
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> UNFORWARDED_HEADERS =
      Set.of("connection", "host", "content-length", "expect", "upgrade", "accept-encoding");

  /** A real API server ends a watch after 30 to 60 minutes; clients start a new one. */
  private static final Duration LONGEST_WATCH = Duration.ofMinutes(30);

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http;
  private final URI backend;
  private final KubernetesClient client;
  private final Clock clock;

  private KubectlFront(
      HttpServer server,
      ExecutorService executor,
      URI backend,
      KubernetesClient client,
      Clock clock) {
    this.server = server;
    this.executor = executor;
    this.backend = backend;
    this.client = client;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Starts the front on a free loopback port, passing what it does not serve to {@code backend}.
   */
  static KubectlFront start(URI backend, KubernetesClient client, Clock clock) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "kubectl-front");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      var front = new KubectlFront(server, executor, backend, client, clock);
      server.createContext("/", front::handle);
      server.start();
      return front;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Where kubectl reaches it. */
  String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  private ApiDiscovery discovery() {
    return new ApiDiscovery(
        client.apiextensions().v1().customResourceDefinitions().list().getItems());
  }

  private void handle(HttpExchange exchange) {
    try {
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if ("GET".equals(exchange.getRequestMethod()) && serveGet(exchange, path, query)) {
        return;
      }
      forward(exchange);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "kubectl request " + exchange.getRequestURI() + " failed", e);
      if (exchange.getResponseCode() == -1) {
        // Nothing sent yet: answer as an API server does, rather than drop the connection.
        try {
          ObjectNode status =
              JSON.objectNode()
                  .put("kind", "Status")
                  .put("apiVersion", "v1")
                  .put("status", "Failure")
                  .put("reason", "InternalError")
                  .put("message", String.valueOf(e))
                  .put("code", 500);
          reply(exchange, 500, status);
        } catch (IOException ignored) {
          // The client has gone.
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  /** Serves what the mock cannot; false to pass the request on. */
  private boolean serveGet(HttpExchange exchange, String path, Map<String, String> query)
      throws IOException, InterruptedException {
    ApiDiscovery discovery = discovery();
    var openApi = new OpenApiDocuments(discovery);
    switch (path) {
      case "/version" -> {
        ObjectNode version =
            JSON.objectNode()
                .put("major", "1")
                .put("minor", EmbeddedApiServer.VERSION.split("\\.")[1])
                .put("gitVersion", EmbeddedApiServer.VERSION)
                .put("platform", "linux/amd64");
        return reply(exchange, 200, version);
      }
      case "/api" -> {
        return reply(exchange, 200, discovery.coreVersions(url().substring("http://".length())));
      }
      case "/apis" -> {
        return reply(exchange, 200, discovery.groups());
      }
      case "/openapi/v2" -> {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("protobuf")) {
          byte[] bytes = OpenApiV2Protobuf.encode(openApi.v2());
          exchange
              .getResponseHeaders()
              .set("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          return true;
        }
        return reply(exchange, 200, openApi.v2());
      }
      case "/openapi/v3" -> {
        return reply(exchange, 200, openApi.v3Index());
      }
      default -> {}
    }
    if (path.startsWith("/openapi/v3/")) {
      var doc = openApi.v3(path.substring("/openapi/v3/".length()));
      return doc.isPresent() ? reply(exchange, 200, doc.get()) : notFound(exchange);
    }
    String[] parts = path.substring(1).split("/");
    if (parts.length == 2 && parts[0].equals("api")
        || parts.length == 3 && parts[0].equals("apis")) {
      var list =
          parts[0].equals("api")
              ? discovery.resourceList("", parts[1])
              : discovery.resourceList(parts[1], parts[2]);
      return list.isPresent() ? reply(exchange, 200, list.get()) : notFound(exchange);
    }
    Optional<ResourcePath> resourcePath = ResourcePath.parse(path);
    if (resourcePath.isEmpty() || resourcePath.get().subresource() != null) {
      return false;
    }
    ResourcePath target = resourcePath.get();
    Optional<Resource> resource = discovery.find(target.group(), target.version(), target.plural());
    if (resource.isEmpty()) {
      return false;
    }
    boolean table = wantsTable(exchange.getRequestHeaders().getFirst("Accept"));
    var columns = new PrinterColumns(resource.get(), clock);
    if (isTrue(query.get("watch"))) {
      watch(exchange, target, resource.get(), query, table ? columns : null);
      return true;
    }
    FieldSelector selector = FieldSelector.parse(query.get("fieldSelector"));
    if (!table && target.name() != null) {
      return false;
    }
    Map<String, String> backendQuery = new LinkedHashMap<>(query);
    backendQuery.remove("fieldSelector");
    backendQuery.remove("includeObject");
    HttpResponse<byte[]> response = get(path, backendQuery);
    if (response.statusCode() != 200) {
      return relay(exchange, response);
    }
    JsonNode body = Serialization.jsonMapper().readTree(response.body());
    if (body.has("items")) {
      ArrayNode kept = JSON.arrayNode();
      body.get("items")
          .forEach(
              item -> {
                if (selector.matches(item)) {
                  kept.add(item);
                }
              });
      ((ObjectNode) body).set("items", kept);
      // The mock calls every list "List"; typed clients (kubectl describe's events) want the
      // kind's.
      ((ObjectNode) body).put("kind", resource.get().kind() + "List");
    }
    return reply(
        exchange, 200, table ? columns.table(body, true, query.get("includeObject")) : body);
  }

  private static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  private static boolean isTrue(String value) {
    return "true".equals(value) || "1".equals(value);
  }

  /**
   * Streams watch events as a real API server does (one JSON object a line), from the mock's
   * WebSocket watch; objects changed between the client's list and this watch are sent first.
   */
  private void watch(
      HttpExchange exchange,
      ResourcePath target,
      Resource resource,
      Map<String, String> query,
      PrinterColumns table)
      throws IOException, InterruptedException {
    FieldSelector selector = FieldSelector.parse(query.get("fieldSelector"));
    BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
    var operation = client.genericKubernetesResources(resource.groupVersion(), resource.kind());
    var scoped =
        target.namespace() == null
            ? operation.inAnyNamespace()
            : operation.inNamespace(target.namespace());
    Watch watch =
        scoped.watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource object) {
                if (action != Action.ERROR && action != Action.BOOKMARK) {
                  events.add(event(action.name(), Serialization.jsonMapper().valueToTree(object)));
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                events.add(JSON.objectNode().put("type", "CLOSED"));
              }
            });
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      Map<String, Long> seen = new HashMap<>();
      long since = resourceVersion(query.get("resourceVersion"));
      // What changed after the client's list and before the mock's watch began.
      if (query.containsKey("resourceVersion")) {
        Map<String, String> listQuery = new LinkedHashMap<>();
        HttpResponse<byte[]> listed = get(collectionPath(target), listQuery);
        if (listed.statusCode() == 200) {
          for (JsonNode item : Serialization.jsonMapper().readTree(listed.body()).path("items")) {
            if (resourceVersion(item.path("metadata").path("resourceVersion").asText()) > since) {
              events.add(event(since == 0 ? "ADDED" : "MODIFIED", item));
            }
          }
        }
      }
      long timeout =
          query.containsKey("timeoutSeconds")
              ? Long.parseLong(query.get("timeoutSeconds"))
              : LONGEST_WATCH.toSeconds();
      Instant end = Instant.now().plusSeconds(timeout);
      boolean first = true;
      while (Instant.now().isBefore(end)) {
        ObjectNode next = events.poll(1, TimeUnit.SECONDS);
        if (next == null) {
          continue;
        }
        if (next.path("type").asText().equals("CLOSED")) {
          break;
        }
        JsonNode object = next.get("object");
        JsonNode metadata = object.path("metadata");
        long version = resourceVersion(metadata.path("resourceVersion").asText());
        String key = metadata.path("namespace").asText() + "/" + metadata.path("name").asText();
        if (!selector.matches(object)
            || (!next.path("type").asText().equals("DELETED")
                && seen.getOrDefault(key, since) >= version)) {
          continue;
        }
        seen.put(key, version);
        if (table != null) {
          next.set("object", table.table(object, first, query.get("includeObject")));
          first = false;
        }
        out.write(Serialization.jsonMapper().writeValueAsBytes(next));
        out.write('\n');
        out.flush();
      }
    } finally {
      watch.close();
    }
  }

  private static ObjectNode event(String type, JsonNode object) {
    ObjectNode event = JSON.objectNode().put("type", type);
    event.set("object", object);
    return event;
  }

  private static long resourceVersion(String value) {
    try {
      return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String collectionPath(ResourcePath target) {
    String prefix =
        target.group().isEmpty()
            ? "/api/" + target.version()
            : "/apis/" + target.group() + "/" + target.version();
    return prefix
        + (target.namespace() == null ? "" : "/namespaces/" + target.namespace())
        + "/"
        + target.plural()
        + (target.name() == null ? "" : "/" + target.name());
  }

  private HttpResponse<byte[]> get(String path, Map<String, String> query)
      throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(backend.resolve(path).toString());
    String separator = "?";
    for (var entry : query.entrySet()) {
      uri.append(separator)
          .append(entry.getKey())
          .append('=')
          .append(java.net.URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
      separator = "&";
    }
    return http.send(
        HttpRequest.newBuilder(URI.create(uri.toString()))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private void forward(HttpExchange exchange) throws IOException, InterruptedException {
    URI uri = exchange.getRequestURI();
    String target =
        backend.resolve(uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    var request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofSeconds(30))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    relay(exchange, http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
  }

  private static boolean relay(HttpExchange exchange, HttpResponse<byte[]> response)
      throws IOException {
    response
        .headers()
        .firstValue("Content-Type")
        .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    return true;
  }

  private static boolean reply(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = Serialization.jsonMapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    return true;
  }

  private static boolean notFound(HttpExchange exchange) throws IOException {
    ObjectNode status =
        JSON.objectNode()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("status", "Failure")
            .put("reason", "NotFound")
            .put("message", "the server could not find the requested resource")
            .put("code", 404);
    return reply(exchange, 404, status);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  /** A request path naming a kind, and maybe a namespace, an object and a subresource. */
  record ResourcePath(
      String group,
      String version,
      String namespace,
      String plural,
      String name,
      String subresource) {
    static Optional<ResourcePath> parse(String path) {
      String[] parts = path.substring(1).split("/");
      int at;
      String group;
      String version;
      if (parts.length >= 3 && parts[0].equals("api")) {
        group = "";
        version = parts[1];
        at = 2;
      } else if (parts.length >= 4 && parts[0].equals("apis")) {
        group = parts[1];
        version = parts[2];
        at = 3;
      } else {
        return Optional.empty();
      }
      List<String> rest = new ArrayList<>(List.of(parts).subList(at, parts.length));
      String namespace = null;
      if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
        namespace = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
      return Optional.of(
          new ResourcePath(
              group,
              version,
              namespace,
              rest.get(0),
              rest.size() > 1 ? rest.get(1) : null,
              rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
