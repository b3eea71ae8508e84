/**
 * Quirk profiles: each one switches on one behaviour real BMCs show and the Redfish provider must
 * survive. Profiles combine (`--profile strict-if-match,no-continuous`); `default` is the DMTF
 * mockup's behaviour (weak ETags compared weakly, If-Match optional, Continuous allowed, Boot
 * patched field by field on the system, synchronous Reset, sessions and Basic auth).
 */
import { MetalbootError } from '../../errors.js';

export interface Quirks {
  /** ETag headers are strong (`"…"`) instead of weak (`W/"…"`). */
  readonly strongEtags: boolean;
  /** No ETag header and no @odata.etag at all. */
  readonly noEtags: boolean;
  /** If-Match is compared strongly (RFC 7232): a weak tag never matches → 412. */
  readonly strictIfMatch: boolean;
  /** Every If-Match except `*` fails with 412 (firmware that cannot match its own tags). */
  readonly brokenIfMatch: boolean;
  /** A PATCH without If-Match is refused with 428. */
  readonly ifMatchRequired: boolean;
  /** `Continuous` is refused (400 PropertyValueNotInList), though nothing advertises that. */
  readonly noContinuous: boolean;
  /** A Boot PATCH must carry Target, Enabled and Mode together (400 PropertyMissing otherwise). */
  readonly wholeBoot: boolean;
  /** Boot is changed through `@Redfish.Settings` (applied at the next reset); PATCHing it on the system is refused. */
  readonly bootSettings: boolean;
  /** Reset answers 202 + Location of a task monitor. */
  readonly asyncReset: boolean;
  /** On when on, or ForceOff when off, is refused (400 InvalidOperationForSystemState) instead of ignored. */
  readonly refuseSamePowerState: boolean;
  /** Session creation is not offered (405): clients must use Basic auth. */
  readonly noSessions: boolean;
  /** UefiHttp is an allowed target and Boot has HttpBootUri. */
  readonly uefiHttp: boolean;
  /** ResetType allows no ForceRestart (On, ForceOff, GracefulShutdown, GracefulRestart). */
  readonly noForceRestart: boolean;
  /** ResetType allows On and ForceOff only: a restart is an off and an on. */
  readonly onOffOnly: boolean;
}

export const DEFAULT_QUIRKS: Quirks = {
  strongEtags: false, noEtags: false, strictIfMatch: false, brokenIfMatch: false, ifMatchRequired: false, noContinuous: false,
  wholeBoot: false, bootSettings: false, asyncReset: false, refuseSamePowerState: false, noSessions: false, uefiHttp: false,
  noForceRestart: false, onOffOnly: false,
};

export const PROFILES: Readonly<Record<string, { readonly quirks: Partial<Quirks>; readonly summary: string }>> = {
  default: { quirks: {}, summary: "DMTF mockup behaviour" },
  'strong-etag': { quirks: { strongEtags: true }, summary: 'strong ETags' },
  'no-etag': { quirks: { noEtags: true }, summary: 'no ETag header, no @odata.etag' },
  'strict-if-match': { quirks: { strictIfMatch: true }, summary: 'If-Match compared strongly: the weak tag it hands out gives 412' },
  'broken-if-match': { quirks: { brokenIfMatch: true }, summary: 'every If-Match but * gives 412' },
  'if-match-required': { quirks: { ifMatchRequired: true }, summary: 'PATCH without If-Match gives 428' },
  'no-continuous': { quirks: { noContinuous: true }, summary: 'BootSourceOverrideEnabled Continuous refused (not advertised)' },
  'whole-boot': { quirks: { wholeBoot: true }, summary: 'a Boot PATCH needs Target, Enabled and Mode together' },
  'boot-settings': { quirks: { bootSettings: true }, summary: 'Boot behind @Redfish.Settings, applied at the next reset' },
  'async-reset': { quirks: { asyncReset: true }, summary: 'Reset answers 202 and a task monitor' },
  'refuse-same-power-state': { quirks: { refuseSamePowerState: true }, summary: 'On when on / ForceOff when off refused' },
  'no-sessions': { quirks: { noSessions: true }, summary: 'no session login: Basic auth only' },
  'uefi-http': { quirks: { uefiHttp: true }, summary: 'UefiHttp target with HttpBootUri' },
  'no-force-restart': { quirks: { noForceRestart: true }, summary: 'ResetType without ForceRestart' },
  'on-off-only': { quirks: { onOffOnly: true }, summary: 'ResetType On and ForceOff only' },
};

/** The quirks of a comma-separated list of profile names. */
export function quirksOf(names: readonly string[]): Quirks {
  let quirks: Quirks = DEFAULT_QUIRKS;
  for (const name of names.flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean)) {
    const profile = PROFILES[name];
    if (!profile) {
      throw new MetalbootError(`unknown Redfish simulator profile "${name}"`, { code: 'E_USAGE', exitCode: 2, hint: `profiles: ${Object.keys(PROFILES).join(', ')}` });
    }
    quirks = { ...quirks, ...profile.quirks };
  }
  return quirks;
}
