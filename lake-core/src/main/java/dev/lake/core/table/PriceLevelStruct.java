package dev.lake.core.table;

import dev.lake.core.model.PriceLevel;
import java.util.AbstractList;
import java.util.List;
import org.apache.iceberg.StructLike;

/** Presents a {@link PriceLevel} as the {@code struct<price, quantity>} of the snapshot table. */
final class PriceLevelStruct implements StructLike {
  private final PriceLevel level;

  private PriceLevelStruct(PriceLevel level) {
    this.level = level;
  }

  /** A list view of levels as structs, without copying the levels. */
  static List<StructLike> listOf(List<PriceLevel> levels) {
    return new AbstractList<>() {
      @Override
      public StructLike get(int index) {
        return new PriceLevelStruct(levels.get(index));
      }

      @Override
      public int size() {
        return levels.size();
      }
    };
  }

  @Override
  public int size() {
    return 2;
  }

  @Override
  public <T> T get(int pos, Class<T> javaClass) {
    double value = pos == 0 ? level.price() : level.quantity();
    return javaClass.cast(value);
  }

  @Override
  public <T> void set(int pos, T value) {
    throw new UnsupportedOperationException("Price levels are read-only");
  }
}
