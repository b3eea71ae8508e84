/**
 * The kernel command line of one device: the image manifest's arguments with per-device
 * placeholders filled, then the image's and the device's extra arguments, then the console.
 * Pure.
 */
import type { Arch, DeviceConfig, ImageConfig } from '../config/types.js';
import { DEFAULT_CONSOLE } from '../config/types.js';
import { RenderError } from '../errors.js';
import type { ManifestVariant } from '../image/manifest.js';
import type { DeviceUrls } from './urls.js';

export interface CmdlineInput {
  readonly device: DeviceConfig;
  readonly image: ImageConfig;
  readonly variant: ManifestVariant;
  readonly baseUrl: string;
  readonly token: string;
  readonly urls: DeviceUrls;
}

export interface SourcedArg {
  readonly arg: string;
  /** Where it came from, for error messages (`devices.web-1.kernel_args`). */
  readonly source: string;
}

/** The arguments in order, each with its source. The renderer escapes them. */
export function buildCmdline(input: CmdlineInput): SourcedArg[] {
  const { device, image, variant } = input;
  const values: Record<string, string> = {
    base_url: input.baseUrl,
    device: device.name,
    hostname: device.hostname,
    token: input.token,
    preseed_url: input.urls.preseed,
    kickstart_url: input.urls.kickstart,
    events_url: input.urls.events,
  };
  const args: SourcedArg[] = [
    ...variant.cmdline.map((arg) => ({ arg: fillPlaceholders(arg, values, image.name), source: `the manifest of image "${image.name}"` })),
    ...image.kernelArgs.map((arg) => ({ arg, source: `images.${image.name}.kernel_args` })),
    ...device.kernelArgs.map((arg) => ({ arg, source: `devices.${device.name}.kernel_args` })),
  ];
  if (!args.some(({ arg }) => arg.startsWith('console='))) {
    for (const arg of consoleFor(image, variant.arch).split(/ +/).filter(Boolean)) {
      args.push({ arg, source: `images.${image.name}.console` });
    }
  }
  return args;
}

export function consoleFor(image: ImageConfig, arch: Arch): string {
  return image.console[arch] ?? DEFAULT_CONSOLE[arch];
}

function fillPlaceholders(arg: string, values: Readonly<Record<string, string>>, image: string): string {
  return arg.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new RenderError(`image "${image}": kernel argument ${JSON.stringify(arg)} uses unknown placeholder {{${name}}}`, {
        hint: `known placeholders: ${Object.keys(values).map((key) => `{{${key}}}`).join(' ')}; rebuild the image`,
      });
    }
    return value;
  });
}
