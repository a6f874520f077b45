/**
 * Calls `tick` now and every `intervalMs` while the component is mounted and
 * the tab is visible; a hidden tab stops polling and refreshes on return.
 * Never runs two ticks at once.
 */
import { onBeforeUnmount, onMounted } from 'vue';

export function usePolling(tick: () => Promise<unknown>, intervalMs: number): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;

  async function run() {
    if (running || stopped) return;
    running = true;
    try {
      await tick();
    } catch {
      // the store keeps the error for the page to show
    } finally {
      running = false;
      schedule();
    }
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || document.visibilityState !== 'visible') return;
    timer = setTimeout(() => void run(), intervalMs);
  }

  function onVisibility() {
    if (document.visibilityState === 'visible') void run();
    else if (timer) clearTimeout(timer);
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    void run();
  });
  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
}
