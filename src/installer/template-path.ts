/** Which template a device's installer answers come from: the image's own, or the one metalboot ships. */
import { join } from 'node:path';
import type { ImageConfig } from '../config/types.js';
import { PACKAGE_ROOT } from '../paths.js';

export type InstallerKind = 'preseed' | 'kickstart';

const DEFAULT_TEMPLATE: Record<InstallerKind, string> = { preseed: 'preseed/bonded.cfg', kickstart: 'kickstart/alma9.ks' };

/** The image's own template (debian `preseed`, alma `kickstart`) or the one shipped with metalboot. */
export function templatePath(image: ImageConfig, kind: InstallerKind): string {
  const own = kind === 'preseed' && image.type === 'debian' ? image.preseed : kind === 'kickstart' && image.type === 'alma' ? image.kickstart : undefined;
  return own ?? join(PACKAGE_ROOT, DEFAULT_TEMPLATE[kind]);
}
