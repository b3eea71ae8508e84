/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, against
 * the real server and the Metal simulator. The test drives boots through the server (script and
 * asset fetches, phone-home POSTs) and reads what the browser shows; screenshots of each page go
 * to docs/screenshots/ (committed, shown in the README).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, WEB_ID, WRITE_TOKEN } from './fixture.js';
import type { World } from './fixture.js';

/** Debian's chromium (src/host/packages.ts); METALBOOT_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.METALBOOT_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '../../docs/screenshots');
const EXTRA_DEVICES = 1000;
const have = existsSync(CHROMIUM);
if (!have) console.warn(`dashboard browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, or run the tests as root once)`);

let world: World;
let browser: Browser;
let page: Page;

describe.skipIf(!have)('dashboard in Chromium', () => {
  beforeAll(async () => {
    world = await startWorld({ extraDevices: EXTRA_DEVICES });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await mkdir(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const phaseOf = (device: string): Promise<string> => page.locator(`#devices tr[data-device="${device}"] td.phase`).innerText();

  it('a wrong token is refused; the operator token logs in and shows the config\'s devices', async () => {
    await page.goto(`${world.url}/ui/devices`);
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.getByLabel('Operator token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('That token is not accepted.');
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await shot('login');
    expect((await page.context().cookies()).length).toBe(0);

    // by keyboard: the refused page focuses the token field again; Enter submits
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    const started = Date.now();
    await page.keyboard.type(WRITE_TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/devices');
    await page.locator('body[data-stream="open"]').waitFor();
    const loadMs = (): Promise<number> => page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return Math.round(nav.loadEventEnd - nav.startTime);
    });
    const first = await loadMs();
    const streaming = Date.now() - started;
    await page.reload();
    await page.locator('body[data-stream="open"]').waitFor();
    console.log(`devices page, ${EXTRA_DEVICES + 3} devices: navigation to load ${first} ms the first time (login click to live stream ${streaming} ms), ${await loadMs()} ms reloaded`);
    expect(await page.locator('#devices tbody tr').count()).toBe(EXTRA_DEVICES + 3);
    const web1 = page.locator('#devices tr[data-device="web-1"]');
    expect(await web1.locator('th').innerText()).toBe('web-1');
    expect(await web1.innerText()).toContain('b4:96:91:aa:bb:01');
    // the simulator's state for WEB_ID (a page waits 400 ms for the provider at most; a later load shows it then)
    await expect.poll(async () => {
      if ((await web1.locator('td').nth(2).innerText()) === 'asking…') await page.reload();
      return web1.locator('td').nth(2).innerText();
    }).toBe('active');
    await page.locator('body[data-stream="open"]').waitFor();
    expect(await page.locator('#devices tr[data-device="rack-0777"]').innerText()).toContain('never booted');
  });

  it('a boot\'s phases appear live on the devices page, each update touching one row', async () => {
    await page.evaluate(() => {
      const tbody = document.querySelector('#devices tbody')!;
      const seen = { rows: new Set<string>(), tbodyChildren: 0 };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.target === tbody && record.type === 'childList') seen.tbodyChildren++;
          const row = (record.target instanceof Element ? record.target : record.target.parentElement)?.closest('tr');
          if (row) seen.rows.add(row.dataset.device ?? '?');
        }
      }).observe(tbody, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const { script, eventsUrl } = await world.fetchScript('web-2');
    await expect.poll(() => phaseOf('web-2')).toBe('script');
    await world.fetchAssets(script);
    await expect.poll(() => phaseOf('web-2')).toBe('initrd');
    expect(await world.phoneHome(eventsUrl, 'running', 'partitioning')).toBe(201);
    await expect.poll(() => phaseOf('web-2')).toBe('installer');
    expect(await world.phoneHome(eventsUrl, 'installed', 'done')).toBe(201);
    await expect.poll(() => phaseOf('web-2')).toBe('installed');
    expect(await page.locator('#live').innerText()).toBe('web-2: installed');
    const seen = await page.evaluate(() => {
      const s = (window as unknown as { __seen: { rows: Set<string>; tbodyChildren: number } }).__seen;
      return { rows: [...s.rows], tbodyChildren: s.tbodyChildren };
    });
    expect(seen).toEqual({ rows: ['web-2'], tbodyChildren: 0 });
    await shot('devices');

    await page.getByLabel('Name').fill('web');
    await expect.poll(() => page.locator('#devices tbody tr:visible').count()).toBe(2);
    await page.getByLabel('State').selectOption('installed');
    await expect.poll(() => page.locator('#devices tbody tr:visible').count()).toBe(1);
    expect(await page.locator('#device-count').innerText()).toBe('1');
  });

  it('the device page draws a boot\'s timeline as it happens', async () => {
    await page.goto(`${world.url}/ui/devices/web-2`);
    await page.locator('body[data-stream="open"]').waitFor();
    const latest = page.locator('#history article').first();
    expect(await page.locator('#history article').count()).toBe(1); // the boot of the test before
    const { script, eventsUrl } = await world.fetchScript('web-2');
    await expect.poll(() => page.locator('#history article').count()).toBe(2); // the script fetch started a new boot
    expect(await latest.locator('ol.phases li').count()).toBe(1);
    await world.fetchAssets(script);
    await latest.locator('li[data-phase="initrd"]').waitFor();
    await world.phoneHome(eventsUrl, 'running', 'installing packages');
    await latest.locator('li[data-phase="installer"]').waitFor();
    await world.phoneHome(eventsUrl, 'booted', 'up');
    await latest.locator('li[data-phase="booted"]').waitFor();
    expect(await latest.locator('ol.phases li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.phase))).toEqual(['script', 'kernel', 'initrd', 'installer', 'booted']);
    expect(await latest.locator('svg rect').count()).toBe(5);
    await shot('device');
  });

  it('a phone-home message with markup shows as text and runs nothing', async () => {
    await page.goto(`${world.url}/ui/events`);
    await page.locator('body[data-stream="open"]').waitFor();
    const { eventsUrl } = await world.fetchScript('web-2');
    const hostile = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
    await world.phoneHome(eventsUrl, 'failed', hostile);
    const live = page.locator('#events tbody tr').first();
    await expect.poll(() => live.locator('td.detail').innerText()).toBe(`failed · ${hostile}`);
    await page.reload();
    expect(await page.locator('#events tbody tr').first().locator('td.detail').innerText()).toBe(`failed · ${hostile}`);
    await page.goto(`${world.url}/ui/devices/web-2`);
    expect(await page.locator('#history td.detail').first().innerText()).toBe(`failed · ${hostile}`);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#history img').count()).toBe(0);
    await page.goto(`${world.url}/ui/events`);
    await page.locator('body[data-stream="open"]').waitFor();
    await shot('events');
    // filtered as you type, and rows arriving live obey the filter
    await page.getByLabel('Device').fill('web-1');
    await expect.poll(() => page.locator('#events tbody tr:visible').count()).toBe(0);
    await world.fetchScript('web-2');
    await expect.poll(() => page.locator('#events tbody tr').first().innerText()).toContain('/ipxe/web-2');
    expect(await page.locator('#events tbody tr:visible').count()).toBe(0);
    await page.getByLabel('Device').fill('');
    await page.getByLabel('Kind').selectOption('script');
    expect(await page.locator('#events tbody tr:visible td:nth-child(4)').allInnerTexts()).toEqual(['script', 'script', 'script', 'script']);
  });

  it('Re-image runs the re-image flow against the Metal simulator, and the boot arrives live', async () => {
    await page.goto(`${world.url}/ui/devices/web-1`);
    await page.locator('body[data-stream="open"]').waitFor();
    await page.getByRole('button', { name: 'Re-image' }).click();
    // without the confirmation ticked, the browser does not send the form (required); nothing reached the provider
    expect(world.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    // by keyboard: Space ticks the confirmation, Tab reaches the button, Enter presses it
    await page.getByLabel(/Re-image web-1/).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Re-image');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/devices/web-1');
    expect(await page.getByRole('status').first().innerText()).toBe('Re-image of web-1 started (reboot: update, reboot); its boot appears below as it happens.');
    await page.locator('body[data-stream="open"]').waitFor();
    const latest = page.locator('#history article').first();
    await latest.locator('li[data-phase="installed"]').waitFor({ timeout: 20_000 });
    expect(await latest.locator('ol.phases li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.phase))).toEqual(['script', 'kernel', 'initrd', 'installer', 'installed']);
    // the simulator saw the same calls `metalboot reimage` makes, and booted the device into the server's script
    const writes = world.sim.requests().filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([`PUT /metal/v1/devices/${WEB_ID}`, `POST /metal/v1/devices/${WEB_ID}/actions`]);
    expect(world.boots.find((b) => b.device === 'web-1')?.fetched[0]).toMatch(new RegExp(`^${world.url}/ipxe/web-1\\?token=[0-9a-f]{64}$`)); // the boot token reimage minted
    await shot('device-reimage');
  }, 60_000);

  it('the images page lists variants, hashes and the devices using each', async () => {
    await page.goto(`${world.url}/ui/images`);
    const manifest = await world.context.manifests.get(world.config.server.stateDir, 'inst');
    const row = page.locator('#images tr[data-image="inst"]');
    expect(await row.innerText()).toContain(manifest.variants.x86_64!.kernel.sha256);
    expect(await row.locator('a', { hasText: 'web-1' }).count()).toBe(1);
    await shot('images');
  });
});
