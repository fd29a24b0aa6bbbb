/**
 * Which top-level folders of src/ may import which: the table each folder's README.md states, checked
 * in `npm test` (`npm run deps`). A folder may always import itself; `log` and `shared` are open to all.
 */
const OPEN_TO_ALL = ['log', 'shared'];
/** The two open folders sit at the bottom: log imports nothing of the product, shared only log. */

/** folder → the other folders of src/ it may import (besides itself, log and shared). */
const MAY_IMPORT = {
  log: [],
  shared: [],
  redis: [],
  instruments: [],
  supervision: [],
  inspect: [],
  testing: ['supervision'],
  lease: ['redis'],
  queues: ['redis'],
  sim: ['instruments'],
  audit: ['redis'],
  // Live events: the event stream's writer (fenced by the lease) and its readers for the admin API's SSE.
  events: ['redis', 'lease'],
  // Which contract month a symbol means: the broker's listing (ib/referenceData) under a policy, by the futures calendar.
  contracts: ['ib', 'instruments'],
  // OpenTelemetry spans of the order path and the admin API; it names the order machine's types only.
  tracing: ['machines'],
  // Machines are pure; they read the pure parts of the domains they model (schemas, rules, message codes).
  machines: ['supervision', 'instruments', 'ib', 'marketdata', 'regulatory', 'sim'],
  actors: ['machines', 'supervision', 'redis', 'lease', 'ib', 'sim', 'marketdata', 'regulatory'],
  // ib/parsing maps the order machine's domain types to IB's.
  ib: ['redis', 'instruments', 'machines'],
  // Drawings of the machines (the catalog names them): pure, no I/O.
  statechart: ['machines'],
  marketdata: ['machines', 'actors', 'supervision', 'redis', 'ib', 'instruments', 'contracts'],
  orders: ['machines', 'supervision', 'redis', 'lease', 'ib', 'instruments', 'audit', 'queues', 'contracts', 'tracing'],
  regulatory: ['machines', 'actors', 'supervision', 'redis', 'audit', 'queues', 'orders', 'instruments', 'ib', 'contracts'],
  // The admin API's contract with a runtime (runtimeView.ts) is admin's own; the runtime implements it.
  admin: ['supervision', 'queues', 'ib', 'orders', 'events', 'statechart', 'tracing'],
  // config composes each domain's own config schema into one.
  config: ['redis', 'lease', 'audit', 'marketdata', 'regulatory', 'contracts', 'events'],
  runtime: ['supervision', 'redis', 'config', 'lease', 'queues', 'audit', 'machines', 'actors', 'ib', 'sim', 'instruments', 'marketdata', 'orders', 'regulatory', 'admin', 'inspect', 'contracts', 'events', 'tracing'],
  cli: ['supervision', 'redis', 'config', 'lease', 'queues', 'audit', 'machines', 'actors', 'ib', 'sim', 'instruments', 'marketdata', 'orders', 'regulatory', 'admin', 'inspect', 'runtime', 'statechart'],
};

/** Narrow exceptions, each a single module a folder may reach into, with the reason. */
const ALSO_ALLOWED = {
  // The audit trail checks order ids, prices and quantities with the order schemas themselves.
  audit: ['^src/orders/schema/'],
};

const openTo = (folder) => (folder === 'log' ? [] : folder === 'shared' ? ['log'] : OPEN_TO_ALL);

const folderRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
  const may = [...allowed, ...openTo(folder)];
  return {
    name: `${folder}-may-import`,
    comment: `src/${folder} may import only ${may.length ? may.join(', ') : 'nothing of the product'} (see src/${folder}/README.md)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: '^src/[^/]+/', pathNot: [`^src/(${[folder, ...may].join('|')})/`, ...(ALSO_ALLOWED[folder] ?? [])] },
  };
});

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'every-folder-in-the-table',
      comment: 'A new top-level folder of src/ states what it may import in MAY_IMPORT (and its README).',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${Object.keys(MAY_IMPORT).join('|')})/` },
      to: {},
    },
    {
      name: 'sim-only-from-its-entry-points',
      comment: 'The simulator is reached only through its actor, its machine and the `tradewire sim` command.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sim/', '^src/actors/simulatorServer\\.ts$', '^src/machines/sim/', '^src/cli/(commands|actions)/sim\\.ts$'] },
      to: { path: '^src/sim/' },
    },
    {
      name: 'machines-are-pure',
      comment: 'Machines do no I/O: sockets, Redis, queues, files and HTTP are injected by src/actors.',
      severity: 'error',
      from: { path: '^src/machines/' },
      to: { path: '^(node:)?(net|fs|fs/promises|http|https|child_process|dgram|tls)$|^(ioredis|bullmq|@stoqey/ib|fastify|ws)$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-cycle-across-folders',
      comment: 'No cycle of imports leaves its top-level folder: folders depend on each other one way.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, viaSomeNot: '^src/$1/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
