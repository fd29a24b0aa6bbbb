/** Run in a fresh process: resident memory with N supervised actors (100 per supervisor). */
import { createSilentLogger } from '../src/log/logger.ts';
import { createSupervisionServices } from '../src/supervision/services.ts';
import { SupervisionTree } from '../src/supervision/supervisionTree.ts';
import { supervisor } from '../src/supervision/supervisorLogic.ts';
import { counterMachine } from './_counterMachine.ts';

const count = Number(process.argv[2] ?? 10_000);
const perSupervisor = 100;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage().rss;
const groups = Array.from({ length: Math.ceil(count / perSupervisor) }, (_, g) =>
  supervisor(`group-${g}`, {
    children: Array.from({ length: Math.min(perSupervisor, count - g * perSupervisor) }, (_, i) => ({
      id: `actor-${g}-${i}`,
      logic: counterMachine,
    })),
  }),
);
const tree = new SupervisionTree({ root: { children: groups }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
for (let g = 0; g < groups.length; g += 1) tree.send(`actor-${g}-0`, { type: 'inc' });
gc?.();
const after = process.memoryUsage().rss;
const running = tree.describe().children.reduce((n, group) => n + group.children.filter((c) => c.status === 'running').length, 0);
console.log(JSON.stringify({ running, rss_mb: after / 2 ** 20, rss_delta_mb: (after - before) / 2 ** 20, baseline_mb: before / 2 ** 20 }));
