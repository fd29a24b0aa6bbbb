import { useEffect, useState } from 'preact/hooks';

/** Now, re-rendering the caller every `everyMs` (uptimes, ages, countdowns). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
