package dev.lumen.notify;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes events on Lumen's resources, as `kubectl describe` shows them. An event that
 * repeats (same resource, reason and message) within ten minutes raises the count and last time of
 * the one already written, as Kubernetes' own recorder does, so a retry every 30 s during an outage
 * shows as one line "x12 over 6m" instead of twelve.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final Duration AGGREGATE_WITHIN = Duration.ofMinutes(10);
  private static final int REMEMBERED = 4096;

  private record Written(String name, int count, Instant last) {}

  private final Map<String, Written> written =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
          return size() > REMEMBERED;
        }
      };

  private final KubernetesClient client;
  private final Clock clock;
  private final String component;

  public EventRecorder(KubernetesClient client, Clock clock, String component) {
    this.client = client;
    this.clock = clock;
    this.component = component;
  }

  /** Records an event; a failure is logged, never thrown: an event is not worth a retry loop. */
  public void record(HasMetadata resource, boolean warning, String reason, String message) {
    Instant instant = clock.instant();
    String now = instant.toString();
    String text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    String key =
        resource.getMetadata().getNamespace()
            + "/"
            + resource.getKind()
            + "/"
            + resource.getMetadata().getName()
            + "/"
            + resource.getMetadata().getUid()
            + "/"
            + reason
            + "/"
            + text;
    Written before;
    synchronized (written) {
      before = written.get(key);
    }
    if (before != null
        && instant.isBefore(before.last().plus(AGGREGATE_WITHIN))
        && repeat(resource, before, now)) {
      synchronized (written) {
        written.put(key, new Written(before.name(), before.count() + 1, instant));
      }
      return;
    }
    String name =
        resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(resource.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(resource.getApiVersion())
                    .withKind(resource.getKind())
                    .withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace())
                    .withUid(resource.getMetadata().getUid())
                    .build())
            .withType(warning ? "Warning" : "Normal")
            .withReason(reason)
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(event)
          .create();
      synchronized (written) {
        written.put(key, new Written(name, 1, instant));
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not record event {} on {}/{}: {}",
          reason,
          resource.getKind(),
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Raises the count of an event already written; false when it is gone or cannot be edited. */
  private boolean repeat(HasMetadata resource, Written before, String now) {
    try {
      var edited =
          client
              .v1()
              .events()
              .inNamespace(resource.getMetadata().getNamespace())
              .withName(before.name())
              .edit(
                  e -> {
                    e.setCount(before.count() + 1);
                    e.setLastTimestamp(now);
                    return e;
                  });
      return edited != null;
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}
