package io.sealsync.rowsync.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registered tables as bootstrapped at start: immutable, so the hot paths look tables up per
 * row without a container call, a lock or a transaction interceptor.
 */
public final class RegisteredTables {
  static final RegisteredTables NONE = new RegisteredTables(List.of());

  private final List<RegisteredTable> all;
  private final Map<String, RegisteredTable> byName;
  private final Map<Integer, RegisteredTable> byId;

  RegisteredTables(List<RegisteredTable> tables) {
    this.all = List.copyOf(tables);
    this.byName =
        all.stream()
            .collect(
                Collectors.toUnmodifiableMap(t -> t.spec().qualifiedName(), Function.identity()));
    this.byId =
        all.stream()
            .collect(Collectors.toUnmodifiableMap(RegisteredTable::tableId, Function.identity()));
  }

  /** In table_id order. */
  public List<RegisteredTable> all() {
    return all;
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  public Optional<RegisteredTable> table(String schema, String table) {
    return Optional.ofNullable(byName.get(schema + "." + table));
  }

  public RegisteredTable table(int tableId) {
    RegisteredTable t = byId.get(tableId);
    if (t == null) {
      throw new IllegalStateException("table_id " + tableId + " is not registered");
    }
    return t;
  }
}
