package dev.lumen.ports;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cloud Monitoring's configuration objects (Services, ServiceLevelObjectives, AlertPolicies,
 * Dashboards), each as the API's JSON. Objects are listed under a parent (a project, or for
 * ServiceLevelObjectives their Service), created, replaced whole and deleted; a failure is a {@link
 * PortException}.
 */
public interface MonitoringObjectStore extends AutoCloseable {
  /** The four kinds, each with where it lives. */
  enum Kind {
    /** Under projects/P, named by the caller: projects/P/services/ID. */
    SERVICE,
    /** Under its Service, named by the caller: .../serviceLevelObjectives/ID. */
    SERVICE_LEVEL_OBJECTIVE,
    /** Under projects/P, named by the API: projects/P/alertPolicies/ID. */
    ALERT_POLICY,
    /** Under projects/P, named by the API: projects/P/dashboards/ID; replaced by etag. */
    DASHBOARD
  }

  /**
   * An object as the API holds it.
   *
   * @param labels its user labels (a dashboard's labels)
   * @param json the API's JSON of the whole object, with what the API added (name, etag, records)
   */
  record StoredObject(Kind kind, String name, Map<String, String> labels, String json) {}

  /** Every object of the kind under {@code parent}. */
  List<StoredObject> list(Kind kind, String parent);

  /**
   * Creates an object under {@code parent} from its JSON.
   *
   * @param id the object's ID, for the kinds the caller names; empty for the others
   */
  StoredObject create(Kind kind, String parent, Optional<String> id, String json);

  /** Replaces the object named in the JSON whole; a dashboard's JSON carries the etag it read. */
  StoredObject replace(Kind kind, String json);

  void delete(Kind kind, String name);

  @Override
  void close();
}
