package dev.lumen.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * What a Secret value must be for Lumen to use it, checked with the parser that will use it, so a
 * value that would fail in the middle of a reconcile is refused up front. Problems never quote the
 * value: it may hold a password.
 */
final class SecretValues {
  static final String REDIS_FORM =
      "redis://[user:password@]host:port[/database] (rediss:// for TLS)";

  private SecretValues() {}

  /** Why Jedis could not connect with this URL, or empty when it can. */
  static Optional<String> redisUrlProblem(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL (" + e.getReason() + ")");
    }
    if (!JedisURIHelper.isValid(uri)) {
      return Optional.of("needs the scheme redis or rediss, a host and a port");
    }
    if (uri.getUserInfo() != null && !uri.getUserInfo().contains(":")) {
      return Optional.of(
          "has user information without a colon; a password alone is written :password@");
    }
    try {
      JedisURIHelper.getDBIndex(uri);
    } catch (RuntimeException e) {
      return Optional.of("names a database that is not a whole number");
    }
    return Optional.empty();
  }

  static final String CREDENTIAL_FORM = "one line of printable characters, e.g. a token";

  /** Why this cannot go into an HTTP header (a token or password), or empty when it can. */
  static Optional<String> credentialProblem(String value) {
    if (value.isEmpty()) {
      return Optional.of("is empty");
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("holds a line break or another control character");
    }
    return Optional.empty();
  }

  /** Why this is not a webhook URL Lumen can post to, or empty when it is. */
  static Optional<String> webhookUrlProblem(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL (" + e.getReason() + ")");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      return Optional.of("needs the scheme https");
    }
    if (uri.getHost() == null) {
      return Optional.of("has no host");
    }
    return Optional.empty();
  }
}
