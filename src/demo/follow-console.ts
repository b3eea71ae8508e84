/** Follows a VM's ttyS1 log and hands over new plain text as it arrives; returns a stop function. */
import { consoleText } from '../vm/console-text.js';
import type { RunningVm } from '../vm/vm.js';

export function followConsole(vm: RunningVm, onText: (text: string) => void, pollMs = 300): () => void {
  let shown = 0;
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const text = consoleText(await vm.readConsole());
      if (text.length > shown) onText(text.slice(shown));
      shown = Math.max(shown, text.length);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick().catch(() => {}), pollMs);
  return () => {
    clearInterval(timer);
    void tick().catch(() => {});
  };
}
