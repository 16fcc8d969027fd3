/**
 * lake's Hive-style file layout ({@code exchange=/market_type=/data_type=/symbol=/year=/...}).
 * {@link dev.lake.core.layout.LakeLocationProvider} is public because Iceberg instantiates it by
 * name from a table property ({@code write.location-provider.impl}); embedders choose the layout
 * with {@link dev.lake.core.table.TableOptions} and never call it. The escaping of partition values
 * is package-private.
 */
package dev.lake.core.layout;
