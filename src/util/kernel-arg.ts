/**
 * Which kernel arguments can be carried through an iPXE `kernel` line. iPXE splits a line on
 * whitespace and expands `${name}` — repeatedly, until no `${…}` remains — so a literal `${…}`
 * cannot be passed at all. Pure; used where arguments enter (the config loader) and where they
 * leave (the iPXE renderer, for what comes from image manifests).
 */

/** Why `arg` cannot be passed through iPXE, or undefined when it can. */
export function argumentProblem(arg: string): string | undefined {
  if (arg === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(arg)) return 'it holds a newline, tab or other control character';
  if (/\$\{[^}]*\}/.test(arg)) return 'it holds "${…}", which iPXE always expands as a setting (there is no escape for it)';
  if (/ {2}/.test(arg) || arg.startsWith(' ') || arg.endsWith(' ')) return 'it holds leading, trailing or repeated spaces, which iPXE collapses';
  if (arg.includes(' ') && !/^[^" ]*"[^"]*"$/.test(arg)) {
    return 'it holds a space outside a quoted value; the kernel would see two arguments (quote the value: key="a b")';
  }
  if ((arg.match(/"/g)?.length ?? 0) % 2 !== 0) return 'it holds an unbalanced double quote, which would swallow the following arguments';
  return undefined;
}
