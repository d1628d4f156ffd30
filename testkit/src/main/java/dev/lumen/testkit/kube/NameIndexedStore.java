package dev.lumen.testkit.kube;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CRUD dispatcher's store of objects, indexed by object name. The dispatcher finds the object a
 * PUT, POST or PATCH names by testing every stored object: with 20,000 resources and their events
 * that was most of the embedded server's CPU, which a real API server does not spend. Only finding
 * one named object uses the index; everything else reads the store as before.
 */
final class NameIndexedStore extends LinkedHashMap<AttributeSet, String> {
  private static final String NAME = "name";

  /** fabric8's wildcard value; Value.equals says it equals every value, so compare text. */
  private static final String ANY = "*";

  private final Map<String, Set<AttributeSet>> byName = new HashMap<>();

  /** Stored keys without one concrete name; every lookup tests them too. */
  private final Set<AttributeSet> unnamed = new LinkedHashSet<>();

  /** The synchronised view the dispatcher uses: its lock guards this store. */
  private Map<AttributeSet, String> synchronizedView;

  /**
   * Puts an indexed store in place of {@code dispatcher}'s own, which must still be empty.
   *
   * @return the store, to {@link #find} objects in
   */
  static NameIndexedStore install(CrudDispatcher dispatcher) {
    try {
      var field = CrudDispatcher.class.getDeclaredField("map");
      field.setAccessible(true);
      if (!((Map<?, ?>) field.get(dispatcher)).isEmpty()) {
        throw new IllegalStateException("the dispatcher already stores objects");
      }
      var store = new NameIndexedStore();
      store.synchronizedView = Collections.synchronizedMap(store);
      field.set(dispatcher, store.synchronizedView);
      return store;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "fabric8's CrudDispatcher no longer keeps its objects in a field named map", e);
    }
  }

  /**
   * The first stored object that {@code query} matches, or null, as the dispatcher's own {@code
   * findResource}: through the index when the query names one object, else by {@code scan}.
   */
  Map.Entry<AttributeSet, String> find(
      AttributeSet query, Supplier<Map.Entry<AttributeSet, String>> scan) {
    String name = concreteName(query);
    if (name == null) {
      return scan.get();
    }
    synchronized (synchronizedView) {
      List<Map.Entry<AttributeSet, String>> found = new ArrayList<>(1);
      for (var bucket : List.of(byName.getOrDefault(name, Set.of()), unnamed)) {
        for (AttributeSet key : bucket) {
          // A key removed through an iterator stays in its bucket: get tells.
          String value = get(key);
          if (value != null && key.matches(query)) {
            found.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
          }
        }
      }
      if (found.size() > 1) {
        // Which one is first depends on the order of insertion, which only a scan knows.
        return scan.get();
      }
      return found.isEmpty() ? null : found.get(0);
    }
  }

  /** The one name {@code attributes} give, or null for none, several or the wildcard. */
  private static String concreteName(AttributeSet attributes) {
    Attribute name = attributes.getAttribute(NAME);
    if (name == null || name.getValues().size() != 1) {
      return null;
    }
    String value = name.getValues().get(0).toString();
    return ANY.equals(value) ? null : value;
  }

  @Override
  public String put(AttributeSet key, String value) {
    String name = concreteName(key);
    (name == null ? unnamed : byName.computeIfAbsent(name, n -> new LinkedHashSet<>())).add(key);
    return super.put(key, value);
  }

  @Override
  public void putAll(Map<? extends AttributeSet, ? extends String> entries) {
    entries.forEach(this::put);
  }

  @Override
  public String remove(Object key) {
    if (key instanceof AttributeSet set) {
      String name = concreteName(set);
      if (name == null) {
        unnamed.remove(set);
      } else {
        Set<AttributeSet> bucket = byName.get(name);
        if (bucket != null && bucket.remove(set) && bucket.isEmpty()) {
          byName.remove(name);
        }
      }
    }
    return super.remove(key);
  }

  @Override
  public void clear() {
    byName.clear();
    unnamed.clear();
    super.clear();
  }

  // The dispatcher does not use these; were a later version to, the index would miss objects, so
  // they fail loudly instead.
  @Override
  public String putIfAbsent(AttributeSet key, String value) {
    throw unindexed();
  }

  @Override
  public String computeIfAbsent(
      AttributeSet key, Function<? super AttributeSet, ? extends String> mapping) {
    throw unindexed();
  }

  @Override
  public String compute(
      AttributeSet key, BiFunction<? super AttributeSet, ? super String, ? extends String> f) {
    throw unindexed();
  }

  @Override
  public String merge(
      AttributeSet key,
      String value,
      BiFunction<? super String, ? super String, ? extends String> f) {
    throw unindexed();
  }

  private static UnsupportedOperationException unindexed() {
    return new UnsupportedOperationException("the embedded API server's store indexes put only");
  }
}
