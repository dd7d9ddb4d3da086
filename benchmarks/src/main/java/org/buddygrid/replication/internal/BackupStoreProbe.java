package org.buddygrid.replication.internal;

import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddygrid.replication.SessionGrid;

/**
 * Measurement access to the backup copies and the location directory of a {@link SessionGrid}, for
 * the benchmarks module only: it reads private fields by reflection ({@code SessionGrid.engine},
 * {@code BackupStore.copies}) and changes nothing in the engine but what {@link #dropAll} says.
 * Lives in the engine's package because {@link BackupCopy} and {@link BackupStore} are
 * package-private.
 */
public final class BackupStoreProbe {
  private BackupStoreProbe() {}

  /** One backup copy as the store holds it; {@code copy} is the store's own object. */
  public record Copy(
      Object copy,
      long epoch,
      long version,
      String owner,
      List<String> backups,
      Map<String, byte[]> attributes,
      long weight) {}

  /** Every copy {@code grid} holds, by session id base. */
  public static Map<String, Copy> copies(SessionGrid grid) {
    Map<String, Copy> out = new LinkedHashMap<>();
    store(grid)
        .forEachCopy(
            (id, c) ->
                out.put(
                    id,
                    new Copy(c, c.epoch, c.version, c.owner, c.backups, c.attributes, c.weight())));
    return out;
  }

  /** The Caffeine cache that holds {@code grid}'s copies. */
  public static Object cache(SessionGrid grid) {
    return read(store(grid), "copies");
  }

  /** The cache of a new, empty store configured as the engine's default one. */
  public static Object emptyCache() {
    BackupStore empty =
        new BackupStore(
            "empty", Clock.systemUTC(), 512L << 20, Duration.ofMinutes(1), (id, cause) -> {});
    return read(empty, "copies");
  }

  /** The store's own weight of its copies (what {@code max-backup-bytes} bounds). */
  public static long weight(SessionGrid grid) {
    return store(grid).weight();
  }

  /** Drops every copy {@code grid} holds (to measure the heap they retained). */
  public static void dropAll(SessionGrid grid) {
    BackupStore s = store(grid);
    java.util.List<String> ids = new java.util.ArrayList<>();
    s.forEachCopy((id, c) -> ids.add(id));
    ids.forEach(s::drop);
    s.cleanUp();
  }

  /**
   * What {@code grid}'s location directory says of session {@code base}: {@code owner@epoch}, or
   * null if it has no entry.
   */
  public static String directoryEntry(SessionGrid grid, String base) {
    return engine(grid).directory().get(base).map(e -> e.owner() + "@" + e.epoch()).orElse(null);
  }

  private static Engine engine(SessionGrid grid) {
    return (Engine) read(grid, "engine");
  }

  private static BackupStore store(SessionGrid grid) {
    return engine(grid).backups();
  }

  /** The value of the field {@code name} declared by {@code target}'s class or a superclass. */
  public static Object read(Object target, String name) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look further up
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + name + " of " + c.getName(), e);
      }
    }
    throw new IllegalStateException("no field " + name + " in " + target.getClass().getName());
  }

  /**
   * The value of the first field of {@code target}'s class or a superclass whose type's simple name
   * is {@code typeName}, or null.
   */
  public static Object readByType(Object target, String typeName) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType().getSimpleName().equals(typeName)
            && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          try {
            f.setAccessible(true);
            return f.get(target);
          } catch (IllegalAccessException | RuntimeException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
