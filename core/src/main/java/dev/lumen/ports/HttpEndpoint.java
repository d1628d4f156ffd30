package dev.lumen.ports;

import java.net.URI;
import java.util.Optional;

/**
 * An HTTP API a resource names, such as a Prometheus: its URL, and the value of the Authorization
 * header its Secrets give, if any. The header is a secret: {@link #toString} leaves it out.
 */
public record HttpEndpoint(URI url, Optional<String> authorization) {
  public static HttpEndpoint of(URI url) {
    return new HttpEndpoint(url, Optional.empty());
  }

  @Override
  public String toString() {
    return url + (authorization.isPresent() ? " (with credentials)" : "");
  }
}
