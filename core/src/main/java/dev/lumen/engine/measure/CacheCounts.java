package dev.lumen.engine.measure;

/** Cache lookups over a window. */
public record CacheCounts(long hits, long misses) {
  public CacheCounts {
    if (hits < 0 || misses < 0) {
      throw new IllegalArgumentException("negative cache counts");
    }
  }

  public long lookups() {
    return hits + misses;
  }
}
