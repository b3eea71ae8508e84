/** Every http(s) URL an iPXE script fetches (kernel/initrd/chain lines), in order, deduplicated. Pure. */
export function scriptUrls(script: string): string[] {
  const urls = new Set<string>();
  for (const line of script.split('\n')) {
    const tokens = line.trim().split(/\s+/);
    const command = tokens[0];
    if (command !== 'kernel' && command !== 'initrd' && command !== 'chain' && command !== 'imgfetch') continue;
    const url = tokens.slice(1).find((token) => /^https?:\/\//.test(token));
    if (url && !url.includes('${')) urls.add(url);
  }
  return [...urls];
}
