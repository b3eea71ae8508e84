/**
 * Push to S3-compatible object storage (AWS, MinIO, R2, Ceph) with @aws-sdk/client-s3; large
 * blobs go up as multipart uploads (@aws-sdk/lib-storage). Credentials and region come from the
 * standard AWS variables and files; `endpoint` (--s3-endpoint) selects path-style addressing.
 */
import { createReadStream } from 'node:fs';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MetalbootError, UsageError } from '../errors.js';
import type { AssetRef, ImageManifest } from '../image/manifest.js';
import type { PushTarget } from './types.js';
import { staticAssetPath } from './types.js';
import { trimBase } from '../util/url.js';

export const PART_SIZE = 8 * 1024 * 1024;

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket root). */
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new UsageError(`${JSON.stringify(url)} is not s3://bucket[/prefix]`);
  return { bucket: match[1]!, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export class S3Target implements PushTarget {
  readonly isStatic = true;
  readonly label: string;
  private readonly client: S3Client;

  constructor(private readonly location: S3Location, options: { endpoint?: string; env?: NodeJS.ProcessEnv } = {}) {
    const env = options.env ?? process.env;
    this.label = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
    // Keys from the environment given (the CLI's); without them the SDK's chain (profiles, SSO, instance roles) applies.
    const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
      : undefined;
    this.client = new S3Client({
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.endpoint !== undefined,
      ...(credentials ? { credentials } : {}),
    });
  }

  /** The public URL of the destination root, for a default --base-url. */
  static defaultBaseUrl(location: S3Location, endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
    const tail = location.prefix ? `/${location.prefix}` : '';
    if (endpoint) return `${trimBase(endpoint)}/${location.bucket}${tail}`;
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    return `https://${location.bucket}.s3.${region}.amazonaws.com${tail}`;
  }

  async hasAsset(asset: AssetRef): Promise<boolean> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(staticAssetPath(asset)) }));
      return head.ContentLength === asset.size;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return false;
      throw this.wrap(error, 'check');
    }
  }

  async putAsset(asset: AssetRef, file: string, onBytes: (bytes: number) => void): Promise<void> {
    let reported = 0;
    const upload = new Upload({
      client: this.client,
      partSize: PART_SIZE,
      queueSize: 4,
      params: {
        Bucket: this.location.bucket,
        Key: this.key(staticAssetPath(asset)),
        Body: createReadStream(file, { highWaterMark: 1 << 20 }),
        ContentType: 'application/octet-stream',
        CacheControl: 'public, max-age=31536000, immutable',
      },
    });
    upload.on('httpUploadProgress', (progress) => {
      const loaded = progress.loaded ?? 0;
      if (loaded > reported) onBytes(loaded - reported);
      reported = Math.max(reported, loaded);
    });
    try {
      await upload.done();
    } catch (error) {
      throw this.wrap(error, 'upload');
    }
  }

  async putManifest(manifest: ImageManifest): Promise<void> {
    await this.put(`images/${manifest.name}.json`, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  }

  async putText(path: string, text: string): Promise<void> {
    await this.put(path, text, 'text/plain; charset=utf-8');
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async put(path: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(path), Body: body, ContentType: contentType, CacheControl: 'no-cache' }));
    } catch (error) {
      throw this.wrap(error, 'upload');
    }
  }

  private key(path: string): string {
    return this.location.prefix ? `${this.location.prefix}/${path}` : path;
  }

  private wrap(error: unknown, what: string): MetalbootError {
    return new MetalbootError(`could not ${what} objects in ${this.label}: ${(error as Error).message}`, {
      code: 'E_PUSH',
      hint: 'check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or the AWS profile), AWS_REGION and --s3-endpoint',
      cause: error,
    });
  }
}
