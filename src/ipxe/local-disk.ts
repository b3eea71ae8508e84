/**
 * The script an installed device gets in place of its own (pure): boot the local disk. BIOS:
 * `sanboot --drive 0x80`, the first hard disk; either firmware: `exit`, which hands the boot back to
 * the firmware's next boot device. Served once the armed boot has reported `installed`.
 */
import { fillTemplate } from '../util/template.js';
import type { IpxeTemplates } from './templates.js';
import { loadTemplates } from './templates.js';

export function renderLocalDiskScript(device: string, templates: IpxeTemplates = loadTemplates()): string {
  return fillTemplate(templates.localDisk, { device }, 'ipxe/local-disk.ipxe');
}
