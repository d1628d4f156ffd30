package dev.lumen.gcp;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.base.Suppliers;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Authorization header of an HTTP call to a Google API, for the calls the gRPC clients cannot
 * make (PromQL): the token of the identity the current caller's binding names, else the operator's
 * own Application Default Credentials. A plaintext endpoint is a loopback fake: it gets a caller's
 * token (a loopback IAM endpoint's) but never the operator's own credentials.
 */
final class GoogleAuthorization implements Supplier<Optional<String>> {
  private final URI endpoint;
  private final GoogleIdentities identities;
  private final Supplier<GoogleCredentials> own;

  GoogleAuthorization(URI endpoint, GoogleIdentities identities) {
    this.endpoint = endpoint;
    this.identities = identities;
    this.own = Suppliers.memoize(GoogleIdentities::applicationDefaultCredentials);
  }

  @Override
  public Optional<String> get() {
    Optional<GoogleCredentials> credentials = identities.forCurrentCaller();
    if (credentials.isEmpty() && "https".equals(endpoint.getScheme())) {
      credentials = Optional.of(own.get());
    }
    return credentials.map(this::header);
  }

  /** Refreshes the token when it is about to expire; a failure to get one is worth a retry. */
  private String header(GoogleCredentials credentials) {
    try {
      List<String> values = credentials.getRequestMetadata(endpoint).get("Authorization");
      if (values == null || values.isEmpty()) {
        throw PortException.permanentFailure(
            "the Google credentials give no Authorization header for " + endpoint, null);
      }
      return values.get(0);
    } catch (IOException e) {
      throw PortException.transientFailure(
          "could not get a Google access token: " + e.getMessage(), e);
    }
  }
}
