package dev.lumen.ports;

class FakeCloudRunTest extends CloudRunServicesContract {
  private final FakeCloudRun state = new FakeCloudRun();

  @Override
  protected FakeCloudRun state() {
    return state;
  }

  @Override
  protected CloudRunServices port() {
    return state;
  }
}
