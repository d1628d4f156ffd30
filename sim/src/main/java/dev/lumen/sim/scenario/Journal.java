package dev.lumen.sim.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happened in a run, in the order it was learnt: the world's happenings, Lumen's decisions,
 * analyses, gate and SLO state changes. Read by the live view, the summary and the report.
 */
public final class Journal {
  /**
   * @param subject the service, policy or SLOTarget it concerns, or "world"
   * @param kind e.g. Deploy, Fault, SetTraffic, Rollback, Analysis, Gate, SloState
   */
  public record Entry(Instant time, String subject, String kind, String text) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Consumer<Entry>> listeners = new ArrayList<>();

  public synchronized void add(Entry entry) {
    entries.add(entry);
    listeners.forEach(l -> l.accept(entry));
  }

  public synchronized void onEntry(Consumer<Entry> listener) {
    listeners.add(listener);
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }
}
