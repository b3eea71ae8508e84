/**
 * Before touching a device: request every URL its script fetches (and the script itself), with a
 * bounded timeout, a few at a time. HEAD first; servers that refuse HEAD get a one-byte ranged GET.
 */
export interface UnreachableUrl {
  readonly url: string;
  readonly reason: string;
}

export interface ReachabilityOptions {
  readonly fetch?: (input: string, init: RequestInit) => Promise<Response>;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
}

export async function checkReachable(urls: readonly string[], options: ReachabilityOptions = {}): Promise<UnreachableUrl[]> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const unique = [...new Set(urls)];
  const queue = [...unique];
  const failures = new Map<string, string>();
  const worker = async (): Promise<void> => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const reason = await probe(doFetch, url, timeoutMs);
      if (reason !== undefined) failures.set(url, reason);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, Math.max(queue.length, 1)) }, worker));
  return unique.filter((url) => failures.has(url)).map((url) => ({ url, reason: failures.get(url)! }));
}

async function probe(doFetch: NonNullable<ReachabilityOptions['fetch']>, url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    let response = await doFetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (response.status === 405 || response.status === 501) {
      response = await doFetch(url, { method: 'GET', headers: { Range: 'bytes=0-0' }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      await response.body?.cancel().catch(() => {});
    }
    if (response.ok) return undefined;
    return `HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    const cause = error instanceof Error ? (error as { cause?: { code?: string } }).cause?.code ?? error.message : String(error);
    return `cannot connect (${cause})`;
  }
}
