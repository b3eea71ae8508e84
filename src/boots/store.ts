/**
 * Armed boots: the windows in which a device may read its answers (preseed, kickstart, per-device
 * data) and post phone-home reports, each with tokens minted for that boot alone (random, never
 * derived from the device name). `reimage` and `metalboot arm` open a window; `metalboot serve`
 * (another process) checks it, so the state lives on disk: `<stateDir>/boots.db` (SQLite, WAL,
 * mode 0600), holding only SHA-256 digests of the tokens.
 *
 * A token is either carried by the script URL the provider is given (`/ipxe/<device>?token=…`,
 * valid from any address), or minted when an armed device's script is fetched without one (by
 * MAC or UUID through /boot.ipxe) and then bound to the address that fetched it.
 * A boot ends at its window's end, at the device's `booted` report, or when disarmed. An `installed`
 * report marks it (installedAt): from then on the device's script sends it to its local disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/** Default window of `metalboot arm` and of a re-image. */
export const DEFAULT_WINDOW_MS = 2 * 60 * 60 * 1000;
/** Address-bound tokens one boot keeps (one per fetching address; the oldest goes first). */
export const MAX_BOUND_TOKENS = 16;

export interface ArmedBoot {
  readonly device: string;
  /** Epoch ms. */
  readonly armedAt: number;
  readonly expiresAt: number;
  /** Epoch ms of the boot's `installed` report: the OS is on the disk, the next boot should be the disk's. */
  readonly installedAt?: number;
}

export interface BootGrant {
  readonly boot: ArmedBoot;
  readonly token: string;
}

export function bootsFile(stateDir: string): string {
  return join(stateDir, 'boots.db');
}

/** A fresh boot token: 32 random bytes, hex (what fits in a URL and a kernel argument unescaped). */
export function mintToken(): string {
  return randomBytes(32).toString('hex');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface BootRow {
  device: string;
  armed_at: number;
  expires_at: number;
  installed_at: number | null;
}

function bootOf(row: BootRow): ArmedBoot {
  return { device: row.device, armedAt: row.armed_at, expiresAt: row.expires_at, ...(row.installed_at === null ? {} : { installedAt: row.installed_at }) };
}

export class BootStore {
  private readonly db: Database.Database;
  private readonly now: () => number;

  constructor(file: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS boots (device TEXT PRIMARY KEY, armed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS boot_tokens (hash TEXT PRIMARY KEY, device TEXT NOT NULL, client TEXT);
      CREATE INDEX IF NOT EXISTS boot_tokens_device ON boot_tokens (device);`);
    // boots.db files written before installed_at existed gain the column (NULL: not installed).
    const columns = this.db.prepare('PRAGMA table_info(boots)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'installed_at')) this.db.exec('ALTER TABLE boots ADD COLUMN installed_at INTEGER');
  }

  /** Opens (or re-opens) a window for `device` with a fresh token; earlier tokens of the device stop working. */
  arm(device: string, windowMs: number = DEFAULT_WINDOW_MS): BootGrant {
    const armedAt = this.now();
    const boot: ArmedBoot = { device, armedAt, expiresAt: armedAt + windowMs };
    const token = mintToken();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM boot_tokens WHERE device = ?').run(device);
      this.db.prepare('INSERT OR REPLACE INTO boots (device, armed_at, expires_at, installed_at) VALUES (?, ?, ?, NULL)').run(device, armedAt, boot.expiresAt);
      this.db.prepare('INSERT INTO boot_tokens (hash, device, client) VALUES (?, ?, NULL)').run(digest(token), device);
    })();
    return { boot, token };
  }

  /** Ends the device's boot (disarm, or its `booted` report); true when one was open. */
  end(device: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM boot_tokens WHERE device = ?').run(device);
      return this.db.prepare('DELETE FROM boots WHERE device = ?').run(device).changes > 0;
    })();
  }

  /** Marks the device's open boot as installed (its `installed` report); false when none is open. */
  markInstalled(device: string): boolean {
    if (!this.current(device)) return false;
    // The first report counts: a repeated `installed` does not move the time.
    this.db.prepare('UPDATE boots SET installed_at = ? WHERE device = ? AND installed_at IS NULL').run(this.now(), device);
    return true;
  }

  /** The device's open boot, or undefined (none, or its window has passed). */
  current(device: string): ArmedBoot | undefined {
    const row = this.db.prepare('SELECT * FROM boots WHERE device = ?').get(device) as BootRow | undefined;
    if (!row) return undefined;
    if (row.expires_at <= this.now()) {
      this.end(device);
      return undefined;
    }
    return bootOf(row);
  }

  /** Every open boot (expired ones are dropped). */
  list(): ArmedBoot[] {
    this.db.prepare('DELETE FROM boot_tokens WHERE device IN (SELECT device FROM boots WHERE expires_at <= ?)').run(this.now());
    this.db.prepare('DELETE FROM boots WHERE expires_at <= ?').run(this.now());
    return (this.db.prepare('SELECT * FROM boots ORDER BY device').all() as BootRow[]).map(bootOf);
  }

  /**
   * The boot `token` belongs to, when it is a token of `device`'s open boot and (for an address-bound
   * token) `client` is the address it was minted for.
   */
  authorize(device: string, token: string | undefined, client: string): ArmedBoot | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return undefined;
    const boot = this.current(device);
    if (!boot) return undefined;
    const row = this.db.prepare('SELECT device, client FROM boot_tokens WHERE hash = ?').get(digest(token)) as { device: string; client: string | null } | undefined;
    if (!row || row.device !== device) return undefined;
    if (row.client !== null && row.client !== client) return undefined;
    return boot;
  }

  /**
   * A token for a script fetched without one (by MAC/UUID through /boot.ipxe) during `device`'s open
   * boot, bound to `client`; undefined when the device is not armed. A client's earlier bound token
   * is replaced; past MAX_BOUND_TOKENS addresses the oldest is dropped (so fetches from elsewhere
   * cannot use up the device's own).
   */
  mintBound(device: string, client: string): string | undefined {
    if (!this.current(device)) return undefined;
    const token = mintToken();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM boot_tokens WHERE device = ? AND client = ?').run(device, client);
      this.db.prepare(`DELETE FROM boot_tokens WHERE rowid IN (SELECT rowid FROM boot_tokens WHERE device = ? AND client IS NOT NULL
        ORDER BY rowid DESC LIMIT -1 OFFSET ?)`).run(device, MAX_BOUND_TOKENS - 1);
      this.db.prepare('INSERT INTO boot_tokens (hash, device, client) VALUES (?, ?, ?)').run(digest(token), device, client);
    })();
    return token;
  }

  close(): void {
    this.db.close();
  }
}
