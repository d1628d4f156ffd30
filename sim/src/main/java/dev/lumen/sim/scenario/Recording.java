package dev.lumen.sim.scenario;

import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run produced, the same for the demo and the backtest: every minute the world
 * served, the journal, the SLOTargets' readings, and the resources' last status.
 */
public final class Recording {
  /** One evaluation of an SLOTarget: its state, compliance and fastest burn rates. */
  public record SloReading(
      Instant time,
      String sloTarget,
      String state,
      Double compliance,
      Double pageBurnRate,
      Double ticketBurnRate) {}

  private final List<ServedMinute> minutes = new ArrayList<>();
  private final Journal journal = new Journal();
  private final List<SloReading> sloReadings = new ArrayList<>();
  private final Map<String, LumenPolicyStatus> policies = new LinkedHashMap<>();
  private final Map<String, SLOTargetStatus> sloTargets = new LinkedHashMap<>();

  public synchronized void served(ServedMinute minute) {
    minutes.add(minute);
  }

  public synchronized void slo(SloReading reading) {
    sloReadings.add(reading);
  }

  public synchronized void policyStatus(String policy, LumenPolicyStatus status) {
    policies.put(policy, status);
  }

  public synchronized void sloTargetStatus(String sloTarget, SLOTargetStatus status) {
    sloTargets.put(sloTarget, status);
  }

  public Journal journal() {
    return journal;
  }

  public synchronized List<ServedMinute> minutes() {
    return List.copyOf(minutes);
  }

  /** The minutes of one service, in time order. */
  public synchronized List<ServedMinute> minutes(String service) {
    return minutes.stream().filter(m -> m.service().name().equals(service)).toList();
  }

  public synchronized List<SloReading> sloReadings() {
    return List.copyOf(sloReadings);
  }

  public synchronized Map<String, LumenPolicyStatus> policies() {
    return Map.copyOf(policies);
  }

  public synchronized Map<String, SLOTargetStatus> sloTargets() {
    return Map.copyOf(sloTargets);
  }
}
