/**
 * Which top-level folders of src/ may import which: the table each folder's README.md states, checked
 * in `npm test` (`npm run deps`). A folder may always import itself; `log` and `shared` are open to all.
 */
const OPEN_TO_ALL = ['log', 'shared'];

/** folder → the other folders of src/ it may import. */
const MAY_IMPORT = {
  log: [],
  shared: [],
  redis: [],
  instruments: [],
  supervision: [],
  inspect: [],
  testing: ['supervision'],
  config: ['redis'],
  lease: ['redis'],
  queues: ['redis'],
  audit: ['redis'],
  sim: ['instruments'],
  machines: ['supervision', 'instruments'],
  ib: ['redis', 'instruments', 'machines', 'actors', 'supervision'],
  actors: ['machines', 'supervision', 'redis', 'lease', 'ib', 'sim'],
  marketdata: ['machines', 'actors', 'supervision', 'redis', 'ib', 'instruments'],
  orders: ['machines', 'actors', 'supervision', 'redis', 'lease', 'ib', 'instruments', 'audit', 'queues'],
  regulatory: ['machines', 'actors', 'supervision', 'redis', 'audit', 'queues', 'orders', 'instruments'],
  admin: ['queues', 'supervision'],
  runtime: ['supervision', 'redis', 'config', 'lease', 'queues', 'audit', 'machines', 'actors', 'ib', 'sim', 'instruments', 'marketdata', 'orders', 'regulatory', 'admin', 'inspect'],
  cli: ['supervision', 'redis', 'config', 'lease', 'queues', 'audit', 'machines', 'actors', 'ib', 'sim', 'instruments', 'marketdata', 'orders', 'regulatory', 'admin', 'inspect', 'runtime'],
};

/** Narrow exceptions, each a single module a folder may reach into, with the reason. */
const ALSO_ALLOWED = {};

const folderRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  name: `${folder}-may-import`,
  comment: `src/${folder} may import only ${[...allowed, ...OPEN_TO_ALL].join(', ')} (see src/${folder}/README.md)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: {
    path: '^src/[^/]+/',
    pathNot: [`^src/(${[folder, ...allowed, ...OPEN_TO_ALL].join('|')})/`, ...(ALSO_ALLOWED[folder] ?? [])],
  },
}));

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'sim-only-from-its-entry-points',
      comment: 'The simulator is reached only through its actor, its machine and the `tradewire sim` command.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sim/', '^src/actors/simulatorServer\\.ts$', '^src/machines/sim/', '^src/cli/commands/sim'] },
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
