import { describe, expect, it } from 'vitest';
import { chooseCli } from '../../src/demo/cli-in-netns.js';
import { MARK, formatPhases, installPhases, metalbootShare } from '../../src/demo/phases.js';
import { loggedRequests } from '../../src/demo/server-log.js';
import type { Mark } from '../../src/demo/timeline.js';

/** A full run's marks as the scenario records them (out of order, one repeated, as a run can). */
const run: Mark[] = [
  { phase: MARK.started, atMs: 0, owner: 'metalboot' },
  { phase: MARK.urlsChecked, atMs: 900, owner: 'metalboot' },
  { phase: MARK.urlsChecked, atMs: 1100, owner: 'metalboot' },
  { phase: MARK.rebootAccepted, atMs: 2400, owner: 'metalboot' },
  { phase: MARK.vmStarted, atMs: 3600, owner: 'platform' },
  { phase: MARK.scriptFetched, atMs: 11000, owner: 'firmware' },
  { phase: MARK.kernelFetched, atMs: 11500, owner: 'metalboot' },
  { phase: MARK.initrdFetched, atMs: 17000, owner: 'metalboot' },
  { phase: MARK.deviceData, atMs: 17100, owner: 'metalboot' },
  { phase: MARK.running, atMs: 60000, owner: 'kernel' },
  { phase: MARK.diskFetched, atMs: 95000, owner: 'kernel' },
  { phase: MARK.installed, atMs: 101000, owner: 'kernel' },
  { phase: MARK.rebooted, atMs: 104000, owner: 'platform' },
  { phase: MARK.grub, atMs: 112000, owner: 'firmware' },
  { phase: MARK.installedKernel, atMs: 118000, owner: 'kernel' },
  { phase: MARK.installedInit, atMs: 130000, owner: 'kernel' },
  { phase: MARK.booted, atMs: 170000, owner: 'kernel' },
  { phase: MARK.loginPrompt, atMs: 165000, owner: 'kernel' },
  { phase: MARK.scriptFetched, atMs: 104500, owner: 'firmware' },
];

describe('install phases', () => {
  it('ends each phase at its evidence and starts it where the previous one ended', () => {
    const phases = installPhases(run);
    expect(phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['API calls', 0, 2400],
      ['firmware', 2400, 11000],
      ['kernel+initrd delivery', 11000, 17000],
      ['installer boot', 17000, 60000],
      ['disk image write', 60000, 101000],
      ['reboot', 101000, 104000],
      ['firmware+GRUB', 104000, 118000],
      ['installed kernel', 118000, 130000],
      ['first boot', 130000, 170000],
    ]);
  });

  it("without systemd's line, ends the installed kernel at the report when it comes before the login prompt; the installer boot at its device data without a running report", () => {
    const reordered = run.filter((m) => m.phase !== MARK.running && m.phase !== MARK.installedInit).map((m) => (m.phase === MARK.loginPrompt ? { ...m, atMs: 175000 } : m));
    const phases = installPhases(reordered);
    expect(phases.find((p) => p.name === 'installer boot')?.endMs).toBe(17100);
    expect(phases.find((p) => p.name === 'installed kernel')?.endMs).toBe(170000);
    expect(phases.find((p) => p.name === 'first boot')).toMatchObject({ startMs: 170000, endMs: 170000 });
  });

  it('leaves a phase whose evidence never came unended, and starts the next where the last seen one ended', () => {
    const phases = installPhases(run.filter((m) => m.phase !== MARK.rebooted && m.phase !== MARK.booted && m.phase !== MARK.loginPrompt));
    expect(phases.find((p) => p.name === 'reboot')).toEqual({ name: 'reboot', owner: 'platform', until: 'the VM started again', startMs: 101000 });
    expect(phases.find((p) => p.name === 'firmware+GRUB')).toMatchObject({ startMs: 101000, endMs: 118000 });
    expect(phases.at(-1)?.endMs).toBeUndefined();
    expect(metalbootShare(run, phases).runMs).toBeUndefined();
  });

  it("counts metalboot's own share: CLI start-up to its first request, its URL checks and API calls, serving kernel and initrd", () => {
    const phases = installPhases(run);
    expect(metalbootShare(run, phases)).toEqual({ startupMs: 900, callsMs: 1500, servingMs: 6000, totalMs: 8400, runMs: 170000 });
    // The CLI's first request in the simulator's API log (it looks the device up before checking URLs) wins.
    const logged = [...run, { phase: MARK.cliFirstRequest, atMs: 700, owner: 'metalboot' as const }];
    expect(metalbootShare(logged, phases)).toMatchObject({ startupMs: 700, callsMs: 1700 });
  });

  it('prints the phase table and the share', async () => {
    const phases = installPhases(run);
    await expect(formatPhases(phases, metalbootShare(run, phases), 'dist')).toMatchFileSnapshot('../golden/demo/phases.txt');
    const partial = installPhases(run.filter((m) => m.phase !== MARK.booted));
    expect(formatPhases(partial, metalbootShare(run, partial), 'tsx')).toMatch(/first boot +not seen/);
    expect(formatPhases(partial, metalbootShare(run, partial), 'tsx')).toContain('(the run did not reach "booted")');
  });
});

describe("the server's request log", () => {
  it('gives each request its arrival (time less duration), in order, and skips what is not a request line', () => {
    const log = [
      '{"level":30,"time":1000500,"id":"a-2","method":"GET","url":"/ipxe/web-1?token=REDACTED","status":200,"bytes":900,"ms":12.5,"msg":"request"}',
      '{"level":30,"time":1000100,"id":"a-1","method":"HEAD","url":"/ipxe/web-1?token=REDACTED","status":200,"bytes":0,"ms":100,"msg":"request"}',
      '{"level":30,"time":1000200,"msg":"listening"}',
      'not json {',
      '{"level":30,"time":"late","method":"GET","url":"/x","ms":1,"msg":"request"}',
      '',
    ].join('\n');
    expect(loggedRequests(log)).toEqual([
      { arrivedAt: 1000000, method: 'HEAD', url: '/ipxe/web-1?token=REDACTED', status: 200, ms: 100 },
      { arrivedAt: 1000487.5, method: 'GET', url: '/ipxe/web-1?token=REDACTED', status: 200, ms: 12.5 },
    ]);
  });
});

describe('which CLI the demo runs', () => {
  it('dist/ when running compiled, or when dist/cli/main.js is newer than every source file; tsx otherwise', () => {
    expect(chooseCli({ compiled: true }).runner).toBe('dist');
    expect(chooseCli({ compiled: false, distMtimeMs: 2000, srcNewestMs: 1000 }).runner).toBe('dist');
    expect(chooseCli({ compiled: false, distMtimeMs: 1000, srcNewestMs: 2000 })).toEqual({ runner: 'tsx', why: 'src/ is newer than dist/ (npm run build updates it)' });
    expect(chooseCli({ compiled: false, srcNewestMs: 2000 })).toEqual({ runner: 'tsx', why: 'no dist/cli/main.js (npm run build makes it)' });
    expect(chooseCli({ compiled: false, distMtimeMs: 1000 }).runner).toBe('dist');
  });
});
