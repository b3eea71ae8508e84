/**
 * One error family for the whole tool. The CLI prints `message` (one sentence naming what to fix),
 * then `hint` when present, and exits with `exitCode`. Wrap lower-level errors with `{ cause }`.
 */

/** Every error code, listed once. A new code is added here; a caller that branches on a kind gets a class. */
export type ErrorCode =
  // the family's defaults and classes
  | 'E_METALBOOT' | 'E_CONFIG' | 'E_USAGE' | 'E_RENDER' | 'E_BUILD' | 'E_PROVIDER'
  // images and the store
  | 'E_NO_IMAGE' | 'E_NOT_BUILT' | 'E_MANIFEST' | 'E_INITRD_CORRUPT'
  // the server's lifecycle
  | 'E_RELOAD_REFUSED'
  // push, events, tunnel
  | 'E_PUSH' | 'E_EVENTS' | 'E_TUNNEL'
  // re-image flow and devices
  | 'E_NO_DEVICE' | 'E_NOT_READY' | 'E_UNREACHABLE' | 'E_REIMAGE' | 'E_TIMEOUT'
  // consoles
  | 'E_CONSOLE' | 'E_CONSOLE_TIMEOUT' | 'E_NO_SSH' | 'E_NO_SSH_KEY' | 'E_SSH'
  // the Equinix Metal API (providers/metal) and its simulator's spec
  | 'E_METAL_API' | 'E_METAL_AUTH' | 'E_METAL_FORBIDDEN' | 'E_METAL_NOT_FOUND' | 'E_METAL_UNPROCESSABLE'
  | 'E_METAL_RATE_LIMIT' | 'E_METAL_SERVER' | 'E_METAL_TIMEOUT' | 'E_METAL_NETWORK' | 'E_METAL_PROJECT'
  | 'E_METAL_NO_SOS' | 'E_METAL_SPEC'
  // Redfish BMCs (providers/redfish) and the Redfish simulator
  | 'E_REDFISH' | 'E_REDFISH_AMBIGUOUS_RESET' | 'E_REDFISH_AUTH' | 'E_REDFISH_BOOT_TARGET' | 'E_REDFISH_CONSOLE' | 'E_REDFISH_FORBIDDEN' | 'E_REDFISH_FOREIGN_LINK' | 'E_REDFISH_NETWORK' | 'E_REDFISH_NOT_FOUND' | 'E_REDFISH_OS' | 'E_REDFISH_RESET' | 'E_REDFISH_SERVER' | 'E_REDFISH_SPEC' | 'E_REDFISH_SYSTEM' | 'E_REDFISH_TIMEOUT' | 'E_REDFISH_USERDATA'
  // own-L2 network boot: dnsmasq run by `serve --dhcp` (dhcp/)
  | 'E_DHCP' | 'E_DHCP_CONFIG' | 'E_DHCP_INTERFACE' | 'E_DHCP_NOT_ROOT' | 'E_DHCP_PORT_BUSY'
  // QEMU, boot-test, demo
  | 'E_QEMU_MISSING' | 'E_BOOT_TEST' | 'E_HOST_PACKAGES';

export interface MetalbootErrorOptions {
  readonly code?: ErrorCode;
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  readonly exitCode?: number;
}

export class MetalbootError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: MetalbootErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'E_METALBOOT';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** metalboot.yaml problems: the message names file, line, field path, the value and what is valid. */
export class ConfigError extends MetalbootError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, code: 'E_CONFIG' });
  }
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends MetalbootError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { ...options, code: 'E_USAGE', exitCode: 2 });
  }
}

/** An iPXE script could not be rendered safely (e.g. a kernel argument iPXE cannot carry). */
export class RenderError extends MetalbootError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, code: 'E_RENDER' });
  }
}

/** Image builds, downloads, checksums, initrd work. */
export class BuildError extends MetalbootError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, code: 'E_BUILD' });
  }
}

/** An image has no manifest in the store yet; the server answers its devices 503 instead of failing. */
export class NotBuiltError extends MetalbootError {
  readonly image: string;
  constructor(image: string, file: string) {
    super(`image "${image}" has not been built (no ${file})`, { code: 'E_NOT_BUILT', hint: `run: metalboot build ${image}` });
    this.image = image;
  }
}

/** A provider (Metal API, QEMU) refused or failed an action. */
export class ProviderError extends MetalbootError {
  readonly status: number | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown; status?: number; code?: ErrorCode } = {}) {
    super(message, { ...options, code: options.code ?? 'E_PROVIDER' });
    this.status = options.status;
  }
}
