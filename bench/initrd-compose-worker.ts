/**
 * Measured side of the initrd benchmark (bundled and run with plain `node`, so the figure is the
 * composition's own memory, not tsx's): microcode + base + overlay into a store temp file.
 * argv: <base> <ucodeDir> <overlayDir> <stateDir>; prints {seconds, maxRssMb, sha256, size, sha256MBps}.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { withParents } from '../src/initrd/cpio.js';
import { planCompose } from '../src/initrd/compose.js';
import { entriesFromDir } from '../src/initrd/fs-entries.js';
import { microcodeEntries } from '../src/initrd/microcode.js';
import { writeSegmentsToTmp } from '../src/image/segment-writer.js';

const [base, ucode, overlay, stateDir] = process.argv.slice(2) as [string, string, string, string];
const start = process.hrtime.bigint();
const plan = await planCompose({ base, early: await microcodeEntries(ucode), overlay: withParents(await entriesFromDir(overlay)) });
const written = await writeSegmentsToTmp(stateDir, 'bench', plan.segments);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await rm(written.tmp);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// The ceiling: sha256 alone over 256 MB of in-memory data on this CPU, in this run.
const block = randomBytes(1 << 20);
const hashStart = process.hrtime.bigint();
const hash = createHash('sha256');
for (let i = 0; i < 256; i++) hash.update(block);
hash.digest();
const sha256MBps = 256 / (Number(process.hrtime.bigint() - hashStart) / 1e9);
console.log(JSON.stringify({ seconds, maxRssMb, sha256: written.sha256, size: written.size, sha256MBps }));
