/** Parses an Accept-style header into [token, q] pairs, highest preference first. */
function weighted(header: string | undefined): { token: string; q: number }[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((part) => {
      const [token = '', ...params] = part.split(';').map((p) => p.trim());
      const qParam = params.find((p) => p.toLowerCase().startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { token: token.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((e) => e.token !== '' && e.q > 0)
    .sort((a, b) => b.q - a.q);
}

/** True when the client prefers OpenMetrics text over the classic Prometheus text format. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  for (const { token } of weighted(accept)) {
    if (token === 'application/openmetrics-text') return true;
    if (token === 'text/plain' || token === '*/*') return false;
  }
  return false;
}

/** True when gzip is acceptable: its own entry decides (q=0 refuses), else a "*" entry. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  const entries = (acceptEncoding ?? '').split(',').map((part) => {
    const [token = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { token, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
  const own = entries.find((e) => e.token === 'gzip') ?? entries.find((e) => e.token === '*');
  return own !== undefined && own.q > 0;
}
