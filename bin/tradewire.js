#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm run build`, and by `npm install`/`npm ci` through `prepare`).
const entry = new URL('../dist/cli/main.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write('tradewire: dist/ is not built: run `npm run build` (npm install and npm ci build it too)\n');
  process.exit(1);
}
await cli.main(process.argv);
