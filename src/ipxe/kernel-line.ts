/**
 * THE kernel command line of a device booting one image variant, and its console. The one rule the
 * iPXE renderer, boot-test's expectations and the installer answers (add-kernel-opts, GRUB serial)
 * share. Pure.
 *
 * Order: the manifest's arguments (per-device placeholders filled), the image's kernel_args, the
 * device's kernel_args. When none of them names a `console=`, the image's console (or the arch's
 * default) is appended; otherwise the line's own `console=` arguments are its console.
 */
import type { Arch, DeviceConfig, ImageConfig } from '../config/types.js';
import { DEFAULT_CONSOLE } from '../config/types.js';
import type { ManifestVariant } from '../image/manifest.js';
import { fillTemplate } from '../util/template.js';
import { deviceUrls } from './urls.js';

export interface KernelLineInput {
  readonly device: DeviceConfig;
  readonly image: ImageConfig;
  /** The variant booted: its arch picks the default console, its cmdline comes first. */
  readonly variant: Pick<ManifestVariant, 'arch' | 'cmdline'>;
  /** Public base URL the device uses (for {{base_url}} and the per-device URLs). */
  readonly baseUrl: string;
  /**
   * The token of the device's armed boot (src/boots/), for {{token}} and the answer URLs. Without
   * one (an unarmed RAM image) the manifest arguments that name them are left out.
   */
  readonly token: string | undefined;
}

/** Placeholders that carry the boot's token: an argument using one needs an armed boot. */
const ANSWER_PLACEHOLDERS = /\{\{\s*(?:token|preseed_url|kickstart_url|events_url)\s*\}\}/;

export interface SourcedArg {
  readonly arg: string;
  /** Where it came from, for error messages (`devices.web-1.kernel_args`). */
  readonly source: string;
}

export interface KernelLine {
  /** Every argument in order, each with its source. The renderer escapes them. */
  readonly args: readonly SourcedArg[];
  /** The console part of the line: its `console=` arguments, or the image console appended to it. */
  readonly console: readonly string[];
}

export function kernelLine(input: KernelLineInput): KernelLine {
  const { device, image, variant } = input;
  const values: Record<string, string> = { base_url: input.baseUrl, device: device.name, hostname: device.hostname };
  if (input.token !== undefined) {
    const urls = deviceUrls(input.baseUrl, device.name, input.token);
    Object.assign(values, { token: input.token, preseed_url: urls.preseed, kickstart_url: urls.kickstart, events_url: urls.events });
  }
  const cmdline = input.token === undefined ? variant.cmdline.filter((arg) => !ANSWER_PLACEHOLDERS.test(arg)) : variant.cmdline;
  const manifestSource = `the manifest of image "${image.name}"`;
  const args: SourcedArg[] = [
    ...cmdline.map((arg) => ({ arg: fillTemplate(arg, values, `${manifestSource}, kernel argument ${JSON.stringify(arg)}`), source: manifestSource })),
    ...image.kernelArgs.map((arg) => ({ arg, source: `images.${image.name}.kernel_args` })),
    ...device.kernelArgs.map((arg) => ({ arg, source: `devices.${device.name}.kernel_args` })),
  ];
  const given = args.map(({ arg }) => arg).filter(isConsoleArg);
  if (given.length > 0) return { args, console: given };
  const console = consoleFor(image, variant.arch);
  return { args: [...args, ...console.map((arg) => ({ arg, source: `images.${image.name}.console` }))], console };
}

/** The image's console arguments for an arch (config `console:`, else the arch's default). */
function consoleFor(image: ImageConfig, arch: Arch): string[] {
  return (image.console[arch] ?? DEFAULT_CONSOLE[arch]).split(/ +/).filter(Boolean);
}

export interface SerialPort {
  /** N of ttySN. */
  readonly unit: number;
  readonly speed: number;
  readonly parity: 'no' | 'odd' | 'even';
  readonly word: number;
}

const PARITY = { n: 'no', o: 'odd', e: 'even' } as const;

/**
 * The serial port the kernel's messages end on: the last `console=ttyS<unit>[,<speed><parity><bits>]`
 * of a line's console (the kernel's defaults: 9600 baud, n8), or undefined when it has none.
 */
export function serialConsole(console: readonly string[]): SerialPort | undefined {
  for (const arg of [...console].reverse()) {
    const match = /^console=ttyS(\d+)(?:,(\d+)([noe])?([5-8])?)?$/.exec(arg);
    if (!match) continue;
    return {
      unit: Number(match[1]),
      speed: match[2] === undefined ? 9600 : Number(match[2]),
      parity: PARITY[(match[3] ?? 'n') as keyof typeof PARITY],
      word: match[4] === undefined ? 8 : Number(match[4]),
    };
  }
  return undefined;
}

function isConsoleArg(arg: string): boolean {
  return arg.startsWith('console=');
}
