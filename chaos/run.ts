/** `npm run chaos -- orders [--quick]`: the last line printed is one JSON object. */
import { parseArgs } from 'node:util';
import { runOrderChaos } from './orders';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false } } });
if (positionals[0] !== 'orders') {
  console.error('usage: npm run chaos -- orders [--quick]');
  process.exit(2);
}
const base = (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '');
const result = await runOrderChaos({
  orders: values.quick ? 200 : 1_000,
  kills: values.quick ? 3 : 6,
  redisUrl: `${base}/10`,
  log: (line) => console.log(line),
  settleTimeoutMs: values.quick ? 45_000 : 120_000,
});
console.log(JSON.stringify(result));
process.exit(result.lost + result.duplicated + result.unexplained === 0 ? 0 : 1);
