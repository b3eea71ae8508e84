/** What a mirror build reports, and the progress hooks it calls. */
import type { FileWant } from './fetch.js';

export interface MirrorProgress {
  /** Called once, with the bytes and files that must come from upstream. */
  start(totalBytes: number, files: number): void;
  advance(bytes: number, label: string): void;
  stop(): void;
}

export interface MirrorArchFacts {
  readonly arch: string;
  readonly debArch: string;
  /** Kernel ABI of the image's installer initrd (its module udebs are carried). */
  readonly abi: string;
  readonly udebs: number;
  readonly debs: number;
}

export interface MirrorSummary {
  readonly image: string;
  readonly release: string;
  readonly upstream: string;
  /** The mirror root (a symlink to the generation below). */
  readonly out: string;
  readonly generation: string;
  readonly arches: readonly MirrorArchFacts[];
  /** Every file the mirror serves (index files, their by-hash twins excluded, and pool files). */
  readonly files: number;
  readonly bytes: number;
  /** Files downloaded by this run (the signed Release files, fetched every run, not counted). */
  readonly fetched: { readonly files: number; readonly bytes: number };
  /** Files found in the cache (or, when unchanged, already in the mirror). */
  readonly reused: { readonly files: number; readonly bytes: number };
  /** True when the mirror already matched the signed suite, initrds and preseed: nothing was rebuilt. */
  readonly unchanged: boolean;
  /** Files upstream did not have (HTTP 404); non-empty only with --allow-missing. */
  readonly missing: readonly string[];
  /** udeb dependencies no package satisfies (the installer would miss them too). */
  readonly unresolved: readonly string[];
  readonly seconds: number;
}

/** The record kept in the mirror (MIRROR_RECORD): what is in it and where it came from. */
export interface MirrorRecord {
  readonly schema: 1;
  /** Identifies the inputs (reuse.ts): a run with the same fingerprint rebuilds nothing. */
  readonly fingerprint: string;
  readonly image: string;
  readonly release: string;
  readonly upstream: string;
  readonly arches: readonly MirrorArchFacts[];
  readonly initrds: Readonly<Record<string, string>>;
  readonly files: readonly FileWant[];
  readonly missing: readonly string[];
  readonly unresolved: readonly string[];
  /** Bytes of the files the mirror serves, the signed Release files included. */
  readonly bytes: number;
}
