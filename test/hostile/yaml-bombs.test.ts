/**
 * Finding 16: a YAML alias bomb or an unresolved alias printed a stack trace; deep nesting said
 * "Maximum call stack". Each is now the usual `file:line: sentence` ConfigError, also through the CLI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { captureIo } from '../cli/capture.js';

const level = (name: string, of: string): string => `${name}: &${name} [${Array(9).fill(of).join(', ')}]`;
const BOMB = [level('a', '"lol"'), level('b', '*a'), level('c', '*b'), level('d', '*c'), level('e', '*d'), level('f', '*e'), level('g', '*f')].join('\n');

const CASES: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['an alias bomb', `${BOMB}\n`, /^\/cfg\/metalboot\.yaml:2: aliases expand to too many values .*alias bomb/],
  ['an unresolved alias', 'server:\n  state_dir: *nope\n', /^\/cfg\/metalboot\.yaml:2: alias \*nope names no anchor set before it$/],
  ['20,000 nested flow lists', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^\/cfg\/metalboot\.yaml:1: nesting is deeper than 64 levels$/],
  ['3,000 nested block mappings', `${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, /^\/cfg\/metalboot\.yaml:\d+: nesting is deeper than 64 levels$/],
  ['100 nested flow lists', `a: ${'['.repeat(100)}${']'.repeat(100)}\n`, /^\/cfg\/metalboot\.yaml:1: nesting is deeper than 64 levels$/],
];

describe('hostile YAML in metalboot.yaml (finding 16)', () => {
  it.each(CASES)('%s is a ConfigError naming file:line', (_label, text, message) => {
    let error: unknown;
    try {
      parseConfig(text, '/cfg/metalboot.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'E_CONFIG' });
    expect((error as Error).message).toMatch(message);
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-yaml-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(CASES)('the CLI prints %s as one line and a hint, no stack trace', async (_label, text) => {
    const file = join(dir, 'metalboot.yaml');
    await writeFile(file, text);
    const cli = captureIo();
    const code = await runCli(['devices', '--config', file], cli.io);
    expect(code).not.toBe(0);
    expect(cli.err()).toContain(`${file}:`);
    expect(cli.err()).not.toMatch(/\n\s+at |Maximum call stack|ReferenceError|RangeError/);
  });
});
