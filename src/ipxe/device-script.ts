/**
 * Renders one device's iPXE script: config + image manifest in, text out. Pure (the templates
 * are passed in, or read once from the package's ipxe/ directory).
 */
import type { Arch, DeviceConfig, ImageConfig } from '../config/types.js';
import { ARCHES } from '../config/types.js';
import { RenderError } from '../errors.js';
import type { ImageManifest, ManifestVariant } from '../image/manifest.js';
import { kernelLine } from './kernel-line.js';
import { checkScriptUrl, escapeKernelArg } from './escape.js';
import { fillTemplate } from '../util/template.js';
import type { IpxeTemplates } from './templates.js';
import { loadTemplates } from './templates.js';
import { trimBase } from '../util/url.js';
import { assetUrl, deviceUrls } from './urls.js';

export interface RenderDeviceInput {
  readonly device: DeviceConfig;
  readonly image: ImageConfig;
  readonly manifest: ImageManifest;
  /** Public base URL devices use (server.public_url or --base-url). */
  readonly baseUrl: string;
  /** The token of the device's armed boot (src/boots/); undefined renders no answer URLs. */
  readonly token: string | undefined;
  /** Attempts per download (default 5) and pause between them in seconds (default 5). */
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
  readonly templates?: IpxeTemplates;
}

export const DEFAULT_RETRIES = 5;
export const DEFAULT_RETRY_DELAY = 5;
const FAIL_DELAY = 30;

/** The initrd's image name under UEFI (`initrd --name` and `initrd=` on the kernel line). */
export const EFI_INITRD_NAME = 'initrd';
/** The per-device data's image name under UEFI (a second `initrd=` on the kernel line). */
export const EFI_DEVICE_DATA_NAME = 'device-data';

/**
 * Image types that boot into a system reading /etc/metalboot/device.json: their script loads the
 * device's data (GET /device-data/<device>.cpio, contract C) as a second initrd after the image's
 * own; the kernel unpacks both into one root file system, later files winning. LinuxKit's init
 * copies that root too, so the file is there for an onboot reader (docs/rootfs.md#linuxkit). A disk
 * image's installer reads it for the report URL and copies it into the installed root (docs/install.md).
 */
export const DEVICE_DATA_TYPES: readonly ImageConfig['type'][] = ['rootfs', 'linuxkit', 'disk'];

export function renderDeviceScript(input: RenderDeviceInput): string {
  const { device, image, manifest } = input;
  const templates = input.templates ?? loadTemplates();
  const baseUrl = checkScriptUrl(trimBase(input.baseUrl), 'base URL');
  const retries = input.retries ?? DEFAULT_RETRIES;
  const delay = input.retryDelaySeconds ?? DEFAULT_RETRY_DELAY;
  if (!Number.isInteger(retries) || retries < 1 || retries > 100) throw new RenderError(`retries must be 1–100, got ${retries}`);
  if (manifest.name !== image.name) {
    throw new RenderError(`device "${device.name}": manifest is for image "${manifest.name}", not "${image.name}"`);
  }
  const arches = ARCHES.filter((arch) => manifest.variants[arch] !== undefined);
  if (arches.length === 0) throw new RenderError(`image "${image.name}" has no built variant`, { hint: `run: metalboot build ${image.name}` });

  const shared = { retries: String(retries), delay: String(delay) };
  const variants = arches.map((arch) => renderVariant({ ...input, baseUrl, templates, shared }, manifest.variants[arch]!));
  return fillTemplate(
    templates.device,
    {
      device: device.name,
      image: image.name,
      image_type: image.type,
      arches: arches.join(' '),
      retries: shared.retries,
      fail_delay: String(FAIL_DELAY),
      dispatch: arches.map(dispatchLines).join('\n'),
      variants: variants.join(''),
    },
    'ipxe/device.ipxe',
  );
}

/** `${buildarch}` → variant. A 32-bit (i386) iPXE, common under BIOS, boots x86_64 kernels. */
function dispatchLines(arch: Arch): string {
  if (arch === 'x86_64') {
    return 'iseq ${buildarch} x86_64 && goto metalboot-x86_64 ||\niseq ${buildarch} i386 && goto metalboot-x86_64 ||';
  }
  return `iseq \${buildarch} ${arch} && goto metalboot-${arch} ||`;
}

interface VariantContext extends RenderDeviceInput {
  readonly templates: IpxeTemplates;
  readonly shared: { readonly retries: string; readonly delay: string };
}

function renderVariant(context: VariantContext, variant: ManifestVariant): string {
  const { device, templates, shared } = context;
  const arch = variant.arch;
  const args = kernelLine({ device, image: context.image, variant, baseUrl: context.baseUrl, token: context.token })
    .args.map(({ arg, source }) => escapeKernelArg(arg, { device: device.name, source }))
    .join(' ');
  const kernelUrl = checkScriptUrl(assetUrl(context.baseUrl, variant.kernel), 'kernel URL');
  const initrdUrl = checkScriptUrl(assetUrl(context.baseUrl, variant.initrd), 'initrd URL');
  const download = (label: string, what: string, command: string): string =>
    fillTemplate(templates.download, { ...shared, label, what, command }, 'ipxe/download.ipxe').trimEnd();

  const dataUrl = DEVICE_DATA_TYPES.includes(context.image.type) && context.token !== undefined
    ? checkScriptUrl(deviceUrls(context.baseUrl, device.name, context.token!).deviceData, 'device data URL')
    : undefined;
  // Under UEFI the stub loads every `initrd=<name>` in order and concatenates them.
  const efiInitrds = [EFI_INITRD_NAME, ...(dataUrl ? [EFI_DEVICE_DATA_NAME] : [])].map((name) => `initrd=${name}`).join(' ');
  const efi = fillTemplate(
    templates.variantEfi,
    {
      arch,
      kernel_download: download(`metalboot-${arch}-efi-kernel`, 'kernel', `kernel ${kernelUrl} ${args} ${efiInitrds}`),
      initrd_download: [
        download(`metalboot-${arch}-efi-initrd`, 'initrd', `initrd --name ${EFI_INITRD_NAME} ${initrdUrl}`),
        ...(dataUrl ? [download(`metalboot-${arch}-efi-data`, 'device data', `initrd --name ${EFI_DEVICE_DATA_NAME} ${dataUrl}`)] : []),
      ].join('\n'),
    },
    'ipxe/variant-efi.ipxe',
  );
  if (arch !== 'x86_64') return `:metalboot-${arch}\n${efi}`;
  const pcbios = fillTemplate(
    templates.variantPcbios,
    {
      arch,
      kernel_download: download(`metalboot-${arch}-pcbios-kernel`, 'kernel', `kernel ${kernelUrl} ${args}`),
      initrd_download: [
        download(`metalboot-${arch}-pcbios-initrd`, 'initrd', `initrd ${initrdUrl}`),
        ...(dataUrl ? [download(`metalboot-${arch}-pcbios-data`, 'device data', `initrd ${dataUrl}`)] : []),
      ].join('\n'),
    },
    'ipxe/variant-pcbios.ipxe',
  );
  return `:metalboot-${arch}\niseq \${platform} efi && goto metalboot-${arch}-efi ||\n${pcbios}${efi}`;
}
