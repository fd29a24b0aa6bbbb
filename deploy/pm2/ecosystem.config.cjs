// tradewire under pm2: one process per node (never cluster mode: a node is one lease holder, one
// set of gateway connections; a second node is a second host, or a second app with its own
// TRADEWIRE_NODE_ID and admin port). From the installed tree:
//
//   pm2 start deploy/pm2/ecosystem.config.cjs && pm2 save
//
// Secrets stay out of this file: node reads them from the env file (--env-file, Node 20.6+).
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ENV_FILE = process.env.TRADEWIRE_ENV_FILE ?? '/etc/tradewire/tradewire.env';

module.exports = {
  apps: [
    {
      name: 'tradewire',
      cwd: ROOT,
      // node itself, not `npm start`: pm2's stop signal then reaches the runtime, not npm.
      script: path.join(ROOT, 'bin', 'tradewire.js'),
      args: ['start'],
      interpreter: 'node',
      node_args: ['--max-semi-space-size=32', `--env-file=${ENV_FILE}`],
      exec_mode: 'fork',
      instances: 1,
      // pm2 stops with SIGINT, which tradewire treats like SIGTERM: children stopped in reverse
      // order within shutdownTimeoutMs (default 10 s, 30 s in config/production.example.json), the
      // lease handed over. kill_timeout is above it, so pm2's SIGKILL only comes to a stuck process.
      kill_timeout: 45_000,
      autorestart: true,
      // 0: a clean stop someone asked for; 2: an invalid configuration, which a restart cannot fix.
      stop_exit_codes: [0, 2],
      exp_backoff_restart_delay: 200,
      max_restarts: 10,
      min_uptime: 10_000,
      // The JSON lines carry their own timestamps.
      time: false,
      merge_logs: true,
      env: {
        NODE_ENV: 'production',
        TRADEWIRE_NODE_ID: os.hostname(),
        // On the persistent var/, not the OS temp dir (README "When Redis loses its state").
        TRADEWIRE_REDIS_STATE_FILE: path.join(ROOT, 'var', 'state', 'continuity.json'),
      },
    },
  ],
};
