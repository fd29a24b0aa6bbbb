// vitest globalSetup. Tests that spawn bin/tradewire.js (or `npm start`) run the compiled dist/: it is
// rebuilt first whenever src/ changed since the last build, so no test ever runs a stale dist.
import { ensureBuilt } from '../../scripts/build.mjs';

export default function setup(): void {
  ensureBuilt();
}
