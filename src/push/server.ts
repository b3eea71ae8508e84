/** Push to a running `metalboot serve` through its upload API (bearer $METALBOOT_TOKEN). */
import { Readable } from 'node:stream';
import { MetalbootError } from '../errors.js';
import type { AssetRef, ImageManifest } from '../image/manifest.js';
import { assetPath } from '../image/manifest.js';
import { trimBase } from '../util/url.js';
import { meteredChunks } from './metered.js';
import type { PushTarget } from './types.js';

export class ServerTarget implements PushTarget {
  readonly isStatic = false;
  readonly label: string;
  private readonly base: string;

  constructor(url: string, private readonly token: string | undefined) {
    this.base = trimBase(url);
    const parsed = new URL(this.base);
    parsed.username = '';
    parsed.password = '';
    this.label = trimBase(parsed.toString());
  }

  async hasAsset(asset: AssetRef): Promise<boolean> {
    const res = await this.request(assetPath(asset), { method: 'HEAD' });
    return res.status === 200 && Number(res.headers.get('content-length')) === asset.size;
  }

  async putAsset(asset: AssetRef, file: string, onBytes: (bytes: number) => void): Promise<void> {
    const body = Readable.toWeb(Readable.from(meteredChunks(file, onBytes))) as ReadableStream<Uint8Array>;
    await this.expectOk(`/api/assets/${asset.sha256}`, {
      method: 'PUT',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(asset.size), ...this.auth() },
    } as RequestInit);
  }

  async putManifest(manifest: ImageManifest): Promise<void> {
    await this.expectOk(`/api/images/${encodeURIComponent(manifest.name)}`, {
      method: 'PUT',
      body: JSON.stringify(manifest),
      headers: { 'content-type': 'application/json', ...this.auth() },
    });
  }

  putText(): Promise<void> {
    return Promise.reject(new MetalbootError('a metalboot server renders its own scripts'));
  }

  private auth(): Record<string, string> {
    if (!this.token) {
      throw new MetalbootError(`pushing to ${this.label} needs METALBOOT_TOKEN (the server's upload token) in the environment`, {
        code: 'E_PUSH',
        hint: 'export METALBOOT_TOKEN=<the value the server was started with>',
      });
    }
    return { authorization: `Bearer ${this.token}` };
  }

  private async expectOk(path: string, init: RequestInit): Promise<void> {
    const res = await this.request(path, init);
    if (res.ok) return;
    const text = await res.text();
    let reason = text.slice(0, 300);
    try {
      reason = (JSON.parse(text) as { error?: string }).error ?? reason;
    } catch {
      // not JSON: keep the text
    }
    throw new MetalbootError(`${this.label} refused ${init.method} ${path} (${res.status}): ${reason}`, {
      code: 'E_PUSH',
      hint: res.status === 401 ? 'set METALBOOT_TOKEN to the token the server was started with' : undefined,
    });
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(this.base + path, init);
    } catch (error) {
      throw new MetalbootError(`cannot reach the metalboot server at ${this.label}: ${(error as Error).message}`, {
        code: 'E_PUSH',
        hint: 'is `metalboot serve` running there?',
        cause: error,
      });
    }
  }
}
