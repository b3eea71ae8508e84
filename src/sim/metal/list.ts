/** GET /projects/{id}/devices for the simulator: filters and pages with spec-shaped meta. Pure. */
import type { SimDevice } from './devices.js';
import { deviceJson } from './devices.js';

export function listDevicesPage(all: readonly SimDevice[], query: Record<string, unknown>, projectId: string, path: string): Record<string, unknown> {
  const text = (key: string): string | undefined => (typeof query[key] === 'string' ? (query[key] as string) : undefined);
  const hostname = text('hostname');
  const tag = text('tag');
  const mac = text('mac_address')?.toLowerCase();
  const matching = all.filter((device) =>
    (hostname === undefined || device.hostname.includes(hostname)) &&
    (tag === undefined || device.tags.includes(tag)) &&
    (mac === undefined || device.macs.includes(mac)));
  const perPage = Number(text('per_page') ?? 10);
  const page = Number(text('page') ?? 1);
  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
  const href = (n: number) => ({ href: `${path}?page=${n}&per_page=${perPage}` });
  return {
    devices: matching.slice((page - 1) * perPage, page * perPage).map((device) => deviceJson(device, projectId)),
    meta: {
      first: href(1),
      last: href(lastPage),
      self: href(page),
      ...(page < lastPage ? { next: href(page + 1) } : {}),
      ...(page > 1 ? { previous: href(page - 1) } : {}),
      total: matching.length,
      current_page: page,
      last_page: lastPage,
    },
  };
}
