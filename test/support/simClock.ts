/**
 * The instant every test's simulator starts at: a Monday, 09:00 in Chicago, inside the CME's
 * trading session. Ticks and fills happen only in sessions, and CI may run on a weekend, so no
 * test runs its simulator on wall-clock time. vitest.config.ts, the bench and the chaos runners
 * set TRADEWIRE_SIM_CLOCK to it; startSimulator starts at it.
 */
export const TEST_SIM_CLOCK = '2026-12-07T15:00:00Z';

export const TEST_SIM_CLOCK_MS = Date.parse(TEST_SIM_CLOCK);

/** The environment a test's loadConfig reads: nothing from the machine, but the simulator on the test instant. */
export const SIM_CLOCK_ENV: Readonly<Record<string, string>> = { TRADEWIRE_SIM_CLOCK: TEST_SIM_CLOCK };
