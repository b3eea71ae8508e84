/** The images page: each configured image's built variants per arch (assets, sizes, sha256), build time and the devices using it. */
import type { Config } from '../../config/types.js';
import type { AssetRef, ImageManifest } from '../../image/manifest.js';
import type { Html } from '../html.js';
import { html } from '../html.js';
import { deviceUrl } from './devices.js';

export interface ImageInfo {
  readonly name: string;
  readonly manifest: ImageManifest | undefined;
  /** ISO time the manifest was written (the build's end), when built. */
  readonly builtAt: string | undefined;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function asset(ref: AssetRef): Html {
  return html`${ref.name} (${size(ref.size)})<br><code class="sha">${ref.sha256}</code>`;
}

export function imagesPage(config: Config, images: readonly ImageInfo[]): Html {
  const users = (image: string): string[] => Object.values(config.devices).filter((d) => d.image === image).map((d) => d.name);
  return html`<h1>Images</h1>
<table class="data" id="images">
<caption>${images.length} images in ${config.file}</caption>
<thead><tr><th scope="col">Image</th><th scope="col">Type</th><th scope="col">Arch</th><th scope="col">Kernel</th><th scope="col">Initrd</th><th scope="col">Built</th><th scope="col">Devices</th></tr></thead>
<tbody>
${images.map((image) => {
  const type = config.images[image.name]?.type ?? '';
  const variants = image.manifest ? Object.values(image.manifest.variants) : [];
  const devices = users(image.name);
  const deviceLinks = devices.length === 0 ? 'none' : devices.map((name, i) => html`${i > 0 ? ', ' : ''}<a href="${deviceUrl(name)}">${name}</a>`);
  if (variants.length === 0) {
    return html`<tr data-image="${image.name}"><th scope="row">${image.name}</th><td>${type}</td><td colspan="4">not built (metalboot build ${image.name})</td><td>${deviceLinks}</td></tr>\n`;
  }
  return variants.map((variant, i) => html`<tr data-image="${image.name}" data-arch="${variant!.arch}"><th scope="row">${image.name}</th><td>${type}${image.manifest!.installer ? ' (installer)' : ''}</td><td>${variant!.arch}</td><td>${asset(variant!.kernel)}</td><td>${asset(variant!.initrd)}</td><td>${i === 0 && image.builtAt ? html`<time datetime="${image.builtAt}">${image.builtAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>` : ''}</td><td>${deviceLinks}</td></tr>\n`);
})}
</tbody>
</table>
`;
}
