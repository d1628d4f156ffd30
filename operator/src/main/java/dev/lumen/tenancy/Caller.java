package dev.lumen.tenancy;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whom the current reconcile thread works for: the namespace of its resource, whose share of the
 * project's call quota its Google calls spend, and the Google service account its binding makes
 * those calls impersonate.
 *
 * @param namespace the resource's namespace
 * @param googleServiceAccount the account to impersonate; empty: the operator's own
 */
public record Caller(String namespace, Optional<String> googleServiceAccount) {
  private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

  /** Runs {@code work} with its Google calls made for {@code caller}. */
  public static <T> T runAs(Caller caller, Supplier<T> work) {
    Caller before = CURRENT.get();
    CURRENT.set(caller);
    try {
      return work.get();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** Whom calls made now are for; empty outside a reconcile. */
  public static Optional<Caller> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
