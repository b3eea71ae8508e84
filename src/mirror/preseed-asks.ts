/**
 * What a preseed asks the installer to add to the target: tasksel tasks and pkgsel/include
 * packages. Pure; reads the template text as debconf would (continuation lines joined).
 */

export interface PreseedAsks {
  readonly tasks: readonly string[];
  readonly packages: readonly string[];
}

function readValue(lines: readonly string[], owner: string, question: string): string | undefined {
  for (const line of lines) {
    const words = line.trim().split(/\s+/);
    if (words[0] === owner && words[1] === question) return words.slice(3).join(' ');
  }
  return undefined;
}

export function readPreseedAsks(text: string): PreseedAsks {
  const lines = text.replace(/\\\n/g, ' ').split('\n').filter((line) => !line.trimStart().startsWith('#'));
  const tasks = readValue(lines, 'tasksel', 'tasksel/first') ?? readValue(lines, 'd-i', 'tasksel/first') ?? '';
  const include = readValue(lines, 'd-i', 'pkgsel/include') ?? readValue(lines, 'pkgsel', 'pkgsel/include') ?? '';
  return {
    tasks: tasks.split(/[,\s]+/).filter((task) => task !== ''),
    packages: include.split(/[,\s]+/).filter((name) => name !== '' && !name.includes('{{')),
  };
}
