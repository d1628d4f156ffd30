package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  @Test
  void everyResourceHasExactlyOneShardAndTheShardsAreEven() {
    int count = 4;
    var shards = IntStream.range(0, count).mapToObj(i -> new Shard(i, count)).toList();
    int[] sizes = new int[count];
    for (int i = 0; i < 10_000; i++) {
      String namespace = "team-" + (i % 37);
      String name = "service-" + i;
      long serving = shards.stream().filter(s -> s.serves(namespace, name)).count();
      assertThat(serving).as(namespace + "/" + name).isEqualTo(1);
      sizes[Shard.of(namespace, name, count)]++;
    }
    for (int size : sizes) {
      assertThat(size).isBetween(2_300, 2_700);
    }
  }

  @Test
  void aResourcesShardIsStableAndOneOperatorServesAll() {
    // CRC-32 of "team-a/checkout": fixed, so a resource stays with its shard across versions.
    assertThat(Shard.of("team-a", "checkout", 3)).isEqualTo(Shard.of("team-a", "checkout", 3));
    assertThat(Shard.of("team-a", "checkout", 1_000_003))
        .isEqualTo((int) (crc("team-a/checkout") % 1_000_003));
    assertThat(Shard.ALL.serves("any", "thing")).isTrue();
    assertThat(Shard.ALL.leaseName("lumen-operator")).isEqualTo("lumen-operator");
    assertThat(new Shard(1, 3).leaseName("lumen-operator")).isEqualTo("lumen-operator-shard-1");
    assertThat(new Shard(1, 3).shareOf(600)).isEqualTo(200);
  }

  @Test
  void aShardIsGivenAsIOfN() {
    assertThat(Shard.parse("1/4")).isEqualTo(new Shard(1, 4));
    assertThatThrownBy(() -> Shard.parse("4/4"))
        .hasMessageContaining("i from 0 to N-1, e.g. 0/2; got 4/4");
    assertThatThrownBy(() -> Shard.parse("two"))
        .hasMessage("give the shard as i/N, e.g. 0/2; got two");
  }

  static long crc(String text) {
    var crc = new java.util.zip.CRC32();
    crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
