/**
 * Measured side of the initrd benchmark (bundled and run with plain `node`, so the figure is the
 * composition's own memory, not tsx's): microcode + base + overlay into a store temp file.
 * argv: <base> <ucodeDir> <overlayDir> <stateDir>; prints {seconds, maxRssMb, sha256, size}.
 */
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
console.log(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, sha256: written.sha256, size: written.size }));
