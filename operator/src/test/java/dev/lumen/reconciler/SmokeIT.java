package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.EmbeddedApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class SmokeIT {
  @Test
  void smoke() throws Exception {
    try (var api = EmbeddedApiServer.start();
        var client = api.newClient()) {
      try (var op =
          LumenOperator.start(
              client, OperatorSettings.defaults(), Clock.systemUTC(), new SimpleMeterRegistry())) {
        client
            .load(new FileInputStream("../samples/minimal/slotarget.yaml"))
            .inNamespace("default")
            .createOrReplace();
        for (int i = 0; i < 50; i++) {
          var t =
              client.resources(SLOTarget.class).inNamespace("default").withName("ion-api").get();
          if (t.getStatus() != null) {
            System.out.println(client.getKubernetesSerialization().asYaml(t));
            break;
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
