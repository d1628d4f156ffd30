package dev.lumen.quota;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The namespace whose resource the current reconcile thread works for, so that the Google calls it
 * makes are charged to that namespace's share of the project's quota.
 */
public final class CallerNamespace {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private CallerNamespace() {}

  /** Runs {@code work} with its Google calls charged to {@code namespace}. */
  public static <T> T runAs(String namespace, Supplier<T> work) {
    String before = CURRENT.get();
    CURRENT.set(namespace);
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

  /** The namespace calls are charged to now; empty outside a reconcile. */
  static Optional<String> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
