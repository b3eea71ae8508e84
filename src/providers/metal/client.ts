/**
 * A spec-true Equinix Metal API client on Node's fetch (only the device calls metalboot needs).
 * Paths, parameters and bodies follow ../shared/metal-openapi (operationIds in the comments).
 */
import { MetalbootError } from '../../errors.js';
import type { ApiCall, FetchLike, HttpOptions } from './http.js';
import { apiRequest } from './http.js';
import type { DeviceListFilter, MetalDevice, MetalDeviceAction, MetalDeviceCreate, MetalDeviceList, MetalDeviceUpdate } from './types.js';
import { setTimeout as delay } from 'node:timers/promises';
import { trimBase } from '../../util/url.js';

export const DEFAULT_METAL_API_URL = 'https://api.equinix.com/metal/v1';
/** The spec's maximum for `per_page`. */
export const MAX_PER_PAGE = 1000;

export interface MetalClientOptions {
  readonly token: string;
  readonly projectId?: string;
  readonly apiUrl?: string;
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly perPage?: number;
  readonly log?: (line: string) => void;
  readonly onCall?: (call: ApiCall) => void;
}

export class MetalClient {
  readonly apiUrl: string;
  readonly projectId: string | undefined;
  private readonly http: HttpOptions;
  private readonly perPage: number;

  constructor(options: MetalClientOptions) {
    if (!options.token) {
      throw new MetalbootError('METAL_AUTH_TOKEN is not set', {
        code: 'E_METAL_AUTH',
        hint: 'export METAL_AUTH_TOKEN=<your Equinix Metal API key> (it is read from the environment, never from arguments)',
      });
    }
    this.apiUrl = trimBase(options.apiUrl ?? DEFAULT_METAL_API_URL);
    this.projectId = options.projectId;
    this.perPage = Math.min(Math.max(options.perPage ?? MAX_PER_PAGE, 1), MAX_PER_PAGE);
    this.http = {
      token: options.token,
      apiUrl: this.apiUrl,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      sleep: options.sleep ?? ((ms) => delay(ms)),
      random: options.random ?? Math.random,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 5,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      log: options.log ?? (() => {}),
      ...(options.onCall === undefined ? {} : { onCall: options.onCall }),
    };
  }

  /** findProjectDevices: every device of the project, following meta.next. */
  async listDevices(filter: DeviceListFilter = {}): Promise<MetalDevice[]> {
    const project = this.requireProject();
    const devices: MetalDevice[] = [];
    for (let page = 1; ; page++) {
      const { body } = await apiRequest(this.http, {
        method: 'GET',
        path: `/projects/${encodeURIComponent(project)}/devices`,
        query: { hostname: filter.hostname, mac_address: filter.macAddress, tag: filter.tag, page, per_page: this.perPage },
        action: 'list devices',
        retry: 'safe',
      });
      const list = (body ?? {}) as MetalDeviceList;
      devices.push(...(list.devices ?? []));
      if (!list.meta?.next?.href || (list.devices ?? []).length === 0) return devices;
      if (page >= 100_000) return devices;
    }
  }

  /** findDeviceById */
  async getDevice(id: string): Promise<MetalDevice> {
    const { body } = await apiRequest(this.http, { method: 'GET', path: devicePath(id), action: 'get', device: id, retry: 'safe' });
    return body as MetalDevice;
  }

  /** updateDevice: a PUT of absolute values is idempotent, so it is retried. */
  async updateDevice(id: string, changes: MetalDeviceUpdate): Promise<MetalDevice> {
    const { body } = await apiRequest(this.http, { method: 'PUT', path: devicePath(id), body: changes, action: 'update', device: id, retry: 'safe' });
    return body as MetalDevice;
  }

  /** performAction: never retried except on 429 (not processed). Ambiguous failures are thrown. */
  async action(id: string, action: MetalDeviceAction): Promise<void> {
    await apiRequest(this.http, { method: 'POST', path: `${devicePath(id)}/actions`, body: action, action: action.type, device: id, retry: 'rate-limit' });
  }

  /** createDevice in a metro (DeviceCreateInMetroInput). Not retried: a retry could create two. */
  async createDevice(input: MetalDeviceCreate): Promise<MetalDevice> {
    const project = this.requireProject();
    const { body } = await apiRequest(this.http, {
      method: 'POST',
      path: `/projects/${encodeURIComponent(project)}/devices`,
      body: input,
      action: 'create device',
      retry: 'rate-limit',
    });
    return body as MetalDevice;
  }

  /** deleteDevice: deleting twice is harmless (the second is a 404), so it is retried. */
  async deleteDevice(id: string): Promise<void> {
    await apiRequest(this.http, { method: 'DELETE', path: devicePath(id), action: 'delete', device: id, retry: 'safe' });
  }

  private requireProject(): string {
    if (!this.projectId) {
      throw new MetalbootError('no Equinix Metal project id', {
        code: 'E_METAL_PROJECT',
        hint: 'set METAL_PROJECT_ID or metal.project_id in metalboot.yaml',
      });
    }
    return this.projectId;
  }
}

function devicePath(id: string): string {
  return `/devices/${encodeURIComponent(id)}`;
}
