/**
 * A kernel or driver name made fit for a metric name, as node_exporter's SanitizeMetricName does:
 * every run of characters outside [0-9A-Za-z_], with the underscores around it, becomes one "_".
 * Used wherever a name from the host becomes part of a family name (sysctl, rapl, bcachefs,
 * ethtool).
 */
export function sanitizeMetricName(name: string): string {
  return name.replace(/_*[^0-9A-Za-z_]+_*/gu, '_');
}
