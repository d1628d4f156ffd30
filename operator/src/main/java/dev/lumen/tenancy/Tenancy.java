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
   * Whether a namespace may manage a service, and as whom.
   *
   * @param refusal why not, naming the field and what would allow it; empty when it may
   * @param googleServiceAccount the account its Google calls impersonate; empty: the operator's own
   */
  record Access(Optional<String> refusal, Optional<String> googleServiceAccount) {
    public static Access allowed(Optional<String> googleServiceAccount) {
      return new Access(Optional.empty(), googleServiceAccount);
    }

    public static Access refused(String why) {
      return new Access(Optional.of(why), Optional.empty());
    }
  }

  /** Whether {@code namespace} may manage {@code service}, and as which Google account. */
  Access access(String namespace, CloudRunServiceReference service);

  /** Why {@code namespace} may not manage {@code service}; empty when it may. */
  default Optional<String> refusal(String namespace, CloudRunServiceReference service) {
    return access(namespace, service).refusal();
  }

  /**
   * Access for a resource's service, looked up once per reconcile: it says both whether the
   * resource is bound and as whom its Google calls act. A spec that names no service is not
   * accepted anyway and makes no call; it gets no refusal here and no identity.
   */
  default Access access(String namespace, Optional<CloudRunServiceReference> service) {
    return service.map(s -> access(namespace, s)).orElse(Access.allowed(Optional.empty()));
  }

  /** Everything is allowed, as the operator's own Google account. */
  static Tenancy singleTeam() {
    return (namespace, service) -> Access.allowed(Optional.empty());
  }
}
