package dev.lake.engines;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;
import org.apache.iceberg.metrics.ScanReport;

/**
 * Keeps the scan reports Iceberg makes for a catalog that names this class as its {@code
 * metrics-reporter-impl}: how many data files a scan planned and how many it skipped.
 */
public final class ScanReports implements MetricsReporter {
  private static final List<ScanReport> REPORTS = new CopyOnWriteArrayList<>();

  @Override
  public void report(MetricsReport report) {
    if (report instanceof ScanReport scan) {
      REPORTS.add(scan);
    }
  }

  static void clear() {
    REPORTS.clear();
  }

  /** The reports of scans of a table, by its name as the catalog gives it (e.g. lake.crypto.x). */
  static List<ScanReport> of(String tableName) {
    return REPORTS.stream().filter(report -> report.tableName().equals(tableName)).toList();
  }
}
