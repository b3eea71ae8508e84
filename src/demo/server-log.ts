/**
 * The requests in a metalboot server log (pino JSON lines, one `request` line per response: `time`
 * when it closed, `ms` it took), read back by the demo (pure). Lines that are not request lines,
 * or not JSON, are skipped: the log is the server's, not ours.
 */

export interface LoggedRequest {
  /** When the request arrived (epoch ms): the line's time less its duration. */
  readonly arrivedAt: number;
  readonly method: string;
  /** As logged (tokens redacted by the server). */
  readonly url: string;
  readonly status: number;
  readonly ms: number;
}

export function loggedRequests(logText: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  for (const line of logText.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const { msg, time, ms, method, url, status } = entry;
    if (msg !== 'request' || typeof time !== 'number' || typeof ms !== 'number' || typeof method !== 'string' || typeof url !== 'string') continue;
    requests.push({ arrivedAt: time - ms, method, url, status: typeof status === 'number' ? status : 0, ms });
  }
  return requests.sort((a, b) => a.arrivedAt - b.arrivedAt);
}
