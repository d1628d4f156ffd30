package dev.lumen.gcp;

import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.common.base.Suppliers;
import dev.lumen.ports.PortException;
import dev.lumen.tenancy.Caller;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Google identities Lumen acts as: its own (the clients' credentials) or, for a resource whose
 * LumenProjectBinding names a service account, short-lived credentials impersonating that account
 * through the IAM Service Account Credentials API. One set of credentials per account, made on
 * first use; each refreshes its token before it expires (one hour).
 */
public final class GoogleIdentities {
  static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");
  static final int LIFETIME_SECONDS = 3600;

  /** The access token the operator presents to a loopback IAM endpoint. */
  public static final String LOOPBACK_OPERATOR_TOKEN = "lumen-loopback-operator";

  private static final String GOOGLE_IAM = "https://iamcredentials.googleapis.com";

  private final Optional<Supplier<GoogleCredentials>> source;
  private final String iamEndpoint;
  private final Map<String, GoogleCredentials> byAccount = new ConcurrentHashMap<>();

  private GoogleIdentities(Optional<Supplier<GoogleCredentials>> source, String iamEndpoint) {
    this.source = source;
    this.iamEndpoint = iamEndpoint;
  }

  /**
   * Impersonation with the operator's Application Default Credentials (Workload Identity in GKE) as
   * the source, through Google's IAM endpoint or {@code iamEndpoint} (e.g. a Private Service
   * Connect one, {@code https://HOST[:PORT]}).
   */
  public static GoogleIdentities applicationDefault(Optional<String> iamEndpoint) {
    return new GoogleIdentities(
        Optional.of(Suppliers.memoize(GoogleIdentities::applicationDefaultCredentials)),
        iamEndpoint.orElse(GOOGLE_IAM));
  }

  /**
   * Impersonation through an IAM endpoint on loopback ({@code http://127.0.0.1:PORT}, a fake or
   * emulator), the operator presenting {@link #LOOPBACK_OPERATOR_TOKEN} as its own access token.
   */
  public static GoogleIdentities loopback(String iamEndpoint) {
    GoogleCredentials operator =
        GoogleCredentials.create(new AccessToken(LOOPBACK_OPERATOR_TOKEN, null));
    return new GoogleIdentities(Optional.of(() -> operator), iamEndpoint);
  }

  /**
   * No impersonation: the loopback Google fakes without an IAM endpoint. A resource whose binding
   * names an account gets a clear failure instead of calls made as the operator.
   */
  public static GoogleIdentities none() {
    return new GoogleIdentities(Optional.empty(), "");
  }

  /**
   * The credentials the call about to be made on this thread must carry, when they are not the
   * client's own: those of the account the current {@link Caller}'s binding names.
   */
  public Optional<GoogleCredentials> forCurrentCaller() {
    return Caller.current().flatMap(Caller::googleServiceAccount).map(this::impersonating);
  }

  GoogleCredentials impersonating(String account) {
    if (source.isEmpty()) {
      throw PortException.permanentFailure(
          "the binding names googleServiceAccount "
              + account
              + ", but this operator has no IAM Credentials endpoint to impersonate it with (its"
              + " Google endpoints are loopback fakes); give --iam-credentials-endpoint",
          null);
    }
    return byAccount.computeIfAbsent(
        account,
        a ->
            ImpersonatedCredentials.newBuilder()
                .setSourceCredentials(source.get().get())
                .setTargetPrincipal(a)
                .setScopes(SCOPES)
                .setLifetime(LIFETIME_SECONDS)
                .setIamEndpointOverride(
                    iamEndpoint + "/v1/projects/-/serviceAccounts/" + a + ":generateAccessToken")
                .build());
  }

  /**
   * Credentials for a call over a plaintext channel, which is only ever to a loopback address: gRPC
   * sends Google credentials over TLS only, so they travel as plain {@link Credentials} there.
   */
  static Credentials overPlaintext(GoogleCredentials credentials) {
    return new LoopbackCredentials(credentials);
  }

  /** The operator's own credentials; without them it can neither impersonate nor call HTTP APIs. */
  static GoogleCredentials applicationDefaultCredentials() {
    try {
      return GoogleCredentials.getApplicationDefault().createScoped(SCOPES);
    } catch (IOException e) {
      throw PortException.permanentFailure(
          "the operator has no Google credentials of its own (Application Default Credentials),"
              + " which impersonating a tenant's service account and PromQL through Cloud"
              + " Monitoring need: "
              + e.getMessage(),
          e);
    }
  }
}
