package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.transport.Transport;
import java.util.Map;

/**
 * What a connector runs with.
 *
 * @param transport the shared network resources
 * @param sink where rows go
 * @param persistedUpdateIds the last update id persisted per symbol of this market before this
 *     start (for {@code restart_gap} rows); empty on a first start
 * @param weightShare the share of the venue's request-weight budget lake may use, 0 to 1
 * @param streamsPerConnection the most streams one WebSocket connection carries
 */
public record ConnectorContext(
    Transport transport,
    RowSink sink,
    Map<String, Long> persistedUpdateIds,
    double weightShare,
    int streamsPerConnection) {
  public ConnectorContext {
    requireNonNull(transport, "transport is null");
    requireNonNull(sink, "sink is null");
    persistedUpdateIds = Map.copyOf(persistedUpdateIds);
    if (!(weightShare > 0 && weightShare <= 1)) {
      throw new IllegalArgumentException("Invalid weight share: " + weightShare);
    }
    if (streamsPerConnection < 1) {
      throw new IllegalArgumentException("Invalid streams per connection: " + streamsPerConnection);
    }
  }

  /** Defaults: 80 % of the venue's weight budget, 200 streams per connection. */
  public static ConnectorContext of(
      Transport transport, RowSink sink, Map<String, Long> persisted) {
    return new ConnectorContext(transport, sink, persisted, 0.8, 200);
  }
}
