package dev.lumen.testkit.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM Service Account Credentials API ({@code generateAccessToken}) on loopback HTTP: a caller
 * presenting the operator's token gets a fresh access token for a service account it was granted
 * Token Creator on, and a 403 in Google's error shape for any other. Each token names its account,
 * so the fakes of Cloud Run and Cloud Monitoring can be asked which identity a call acted as.
 */
public final class IamCredentialsFake implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("^/v1/projects/-/serviceAccounts/([^/:]+):generateAccessToken$");
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final HttpServer server;
  private final String operatorToken;
  private final Set<String> grants = ConcurrentHashMap.newKeySet();
  private final Map<String, String> principals = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();

  /**
   * @param operatorToken the access token of the operator's own account, the only caller accepted
   */
  public IamCredentialsFake(String operatorToken) {
    this.operatorToken = operatorToken;
    this.server = LoopbackHttp.start(this::serve);
  }

  /** The operator's account may mint tokens for {@code serviceAccount} (Token Creator on it). */
  public void grant(String serviceAccount) {
    grants.add(serviceAccount);
  }

  /** http://127.0.0.1:PORT, for the client's IAM endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The account a token was issued for; empty for a token this fake did not issue. */
  public Optional<String> principalOf(String token) {
    return Optional.ofNullable(principals.get(token));
  }

  /** Tokens issued so far. */
  public int issued() {
    return issued.get();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
        LoopbackHttp.respond(
            exchange, 404, LoopbackHttp.googleError(404, "NOT_FOUND", "no such method"));
        return;
      }
      String account = path.group(1);
      if (!("Bearer " + operatorToken)
          .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        LoopbackHttp.respond(
            exchange,
            401,
            LoopbackHttp.googleError(401, "UNAUTHENTICATED", "Request had invalid authentication"));
        return;
      }
      if (!grants.contains(account)) {
        LoopbackHttp.respond(
            exchange,
            403,
            LoopbackHttp.googleError(
                403,
                "PERMISSION_DENIED",
                "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may"
                    + " not exist)."));
        return;
      }
      String token = "fake-token-" + issued.incrementAndGet() + "-" + account;
      principals.put(token, account);
      LoopbackHttp.respond(
          exchange,
          200,
          Map.of(
              "accessToken",
              token,
              "expireTime",
              Clock.systemUTC().instant().plus(LIFETIME).toString()));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
