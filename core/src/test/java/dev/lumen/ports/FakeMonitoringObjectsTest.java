package dev.lumen.ports;

class FakeMonitoringObjectsTest extends MonitoringObjectStoreContract {
  private final FakeMonitoringObjects port = new FakeMonitoringObjects();

  @Override
  protected MonitoringObjectStore port() {
    return port;
  }

  @Override
  protected void deny(String project) {
    port.deny(project);
  }
}
