/** The image a command names, from the config; one message for "no such image" everywhere. */
import type { Config, ImageConfig } from '../config/types.js';
import { MetalbootError } from '../errors.js';

export function requireImage(config: Config, name: string): ImageConfig {
  const image = Object.hasOwn(config.images, name) ? config.images[name] : undefined;
  if (image) return image;
  const known = Object.keys(config.images);
  throw new MetalbootError(`no image named "${name}" in ${config.file}`, {
    code: 'E_NO_IMAGE',
    hint: known.length > 0 ? `known images: ${known.join(', ')}` : 'add it under images: in the config',
  });
}
