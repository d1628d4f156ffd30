package dev.lumen.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which part of the fleet one operator serves, when several split it ({@code --shard i/N}): the
 * LumenPolicies and SLOTargets whose {@code namespace/name} hashes to {@code index}. The hash is
 * CRC-32 of the UTF-8 bytes of {@code namespace/name}, modulo {@code count}: stable across
 * restarts, versions and machines, so a resource stays with its shard as long as N stays.
 *
 * @param index this operator's shard, from 0
 * @param count how many shards split the fleet
 */
public record Shard(int index, int count) {
  /** One operator serving everything. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "a shard is i/N with N at least 1 and i from 0 to N-1, e.g. 0/2; got "
              + index
              + "/"
              + count);
    }
  }

  /** Parses {@code i/N}, e.g. {@code 1/4}. */
  public static Shard parse(String flag) {
    String[] parts = flag.split("/", -1);
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // Told below, with the form expected.
    }
    throw new IllegalArgumentException("give the shard as i/N, e.g. 0/2; got " + flag);
  }

  /** The shard of the resource {@code namespace/name} among {@code count}. */
  public static int of(String namespace, String name, int count) {
    var crc = new CRC32();
    crc.update((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % count);
  }

  public boolean serves(String namespace, String name) {
    return count == 1 || of(namespace, name, count) == index;
  }

  public boolean serves(HasMetadata resource) {
    return serves(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /** Whether the fleet is split at all. */
  public boolean sharded() {
    return count > 1;
  }

  /**
   * This shard's part of a per-project call quota: the shards share each project's quota, and any
   * of them may serve resources in any project.
   */
  public int shareOf(int callsPerMinute) {
    return Math.max(1, callsPerMinute / count);
  }

  /**
   * The Lease this shard's replicas compete for: its own, so that shards do not exclude each other.
   */
  public String leaseName(String base) {
    return sharded() ? base + "-shard-" + index : base;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
