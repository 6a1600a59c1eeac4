function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The small page at "/" that points a human at the metrics. */
export function landingPage(telemetryPath: string): string {
  const href = escapeHtml(telemetryPath);
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Node Exporter</title></head>
<body>
<h1>Node Exporter</h1>
<p>Prometheus Node Exporter, in TypeScript (node-exporter-ts).</p>
<ul><li><a href="${href}">Metrics</a></li></ul>
</body>
</html>
`;
}
