/** Calls `tick` every `ms` until the returned function is called; tests pass a hand-driven one instead. */
export type Every = (tick: () => void, ms: number) => () => void;

/** The real timer: unref'd, so a stream's keepalive or a feed's comparison never holds the process open. */
export const everyInterval: Every = (tick, ms) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};
