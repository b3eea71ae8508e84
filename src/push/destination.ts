/**
 * `--to` → a PushTarget: a directory, s3://bucket/prefix, or http(s)://metalboot-server.
 * The AWS SDK is loaded only for s3:// destinations (it costs ~25 MB of memory and 150 ms).
 */
import { DirectoryTarget } from './directory.js';
import { ServerTarget } from './server.js';
import type { PushTarget } from './types.js';

export interface DestinationOptions {
  readonly s3Endpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function openDestination(to: string, options: DestinationOptions = {}): Promise<{ target: PushTarget; defaultBaseUrl?: string }> {
  const env = options.env ?? process.env;
  if (to.startsWith('s3://')) {
    const { parseS3Url, S3Target } = await import('./s3.js');
    const location = parseS3Url(to);
    const endpoint = options.s3Endpoint ?? (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined);
    return { target: new S3Target(location, { endpoint, env }), defaultBaseUrl: S3Target.defaultBaseUrl(location, endpoint, env) };
  }
  if (/^https?:\/\//i.test(to)) return { target: new ServerTarget(to, env.METALBOOT_TOKEN) };
  return { target: new DirectoryTarget(to) };
}
