package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import java.util.Optional;

/**
 * Decides, before every observation and every change, whether a resource in a namespace may make
 * Lumen act on a Cloud Run service.
 */
public interface Tenancy {
  /** How the operator was started: {@code --tenancy}. */
  enum Mode {
    /** A LumenProjectBinding must allow the namespace the service's project (the default). */
    bound,
    /** Every namespace may manage every service the operator's Google account reaches. */
    single_team;

    /** The flag's spelling, e.g. {@code single-team}. */
    public String flag() {
      return name().replace('_', '-');
    }

    public static Mode ofFlag(String flag) {
      for (Mode mode : values()) {
        if (mode.flag().equals(flag)) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          "unknown tenancy \"" + flag + "\"; use bound or single-team");
    }
  }

  /**
   * Why {@code namespace} may not manage {@code service}, naming the field and what would allow it;
   * empty when it may.
   */
  Optional<String> refusal(String namespace, CloudRunServiceReference service);

  /** Everything is allowed. */
  static Tenancy singleTeam() {
    return (namespace, service) -> Optional.empty();
  }
}
