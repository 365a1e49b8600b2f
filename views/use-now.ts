import { useEffect, useState } from 'react';
import { useDeps } from './context.js';

/** The cockpit's "now", re-read every `everyMs` (countdowns); drill time in a drill. */
export function useNow(everyMs = 1000): number {
  const { now, drill, sources } = useDeps();
  const [t, setT] = useState(now);
  useEffect(() => {
    const id = setInterval(() => setT(now()), everyMs);
    const unsubs = [drill?.subscribe(() => setT(now())), sources?.subscribe(() => setT(now()))];
    return () => {
      clearInterval(id);
      for (const u of unsubs) u?.();
    };
  }, [now, drill, sources, everyMs]);
  return t;
}
