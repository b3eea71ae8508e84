/**
 * One error family for the whole tool. The CLI prints `message` (one sentence naming what to fix),
 * then `hint` when present, and exits with `exitCode`. Wrap lower-level errors with `{ cause }`.
 */
export class MetalbootError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown; exitCode?: number } = {}) {
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

/** A provider (Metal API, QEMU) refused or failed an action. */
export class ProviderError extends MetalbootError {
  readonly status: number | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown; status?: number; code?: string } = {}) {
    super(message, { ...options, code: options.code ?? 'E_PROVIDER' });
    this.status = options.status;
  }
}
