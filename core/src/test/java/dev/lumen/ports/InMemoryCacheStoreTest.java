package dev.lumen.ports;

class InMemoryCacheStoreTest extends CacheStoreContract {
  private final InMemoryCacheStore store = new InMemoryCacheStore();

  @Override
  protected CacheStore store() {
    return store;
  }

  @Override
  protected void lookups(long hits, long misses) {
    store.recordLookups(hits, misses);
  }

  @Override
  protected void restart() {
    store.restart();
  }

  @Override
  protected void makeUnreachable() {
    store.setDown(true);
  }

  @Override
  protected void makeReachable() {
    store.setDown(false);
  }
}
