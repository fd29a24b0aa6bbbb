import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditInputError, MAX_RECORD_BYTES, OrderAuditTrail, type AuditRecordInput } from '../../src/audit/index.ts';
import { connectRedis, deleteTrail, freshTrail, received } from './auditFixture.ts';

const redis = connectRedis();
afterAll(() => redis.disconnect());

async function refusal(action: () => Promise<unknown>): Promise<AuditInputError> {
  const error = await action().then(
    () => new Error('expected a refusal'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuditInputError);
  return error as AuditInputError;
}

const validSent = { kind: 'sent', clientOrderId: 'o1', account: 'DU1', actor: 'order:o1', ibOrderId: 5, clientId: 1, gateway: '127.0.0.1:4002' };

describe('the trail refuses malformed input and writes nothing', () => {
  it.each<[string, unknown, string]>([
    ['unknown kind', { ...validSent, kind: 'teleported' }, 'kind: must be one of received, validated, rejected, sent'],
    ['no kind', { clientOrderId: 'o1' }, 'kind: required'],
    ['not an object', 'filled', '(root): expected object, got "filled"'],
    ['missing actor', { ...validSent, actor: undefined }, 'actor: required'],
    ['actor with spaces', { ...validSent, actor: 'order o1' }, 'actor: must not contain whitespace'],
    ['bad clientOrderId', { ...validSent, clientOrderId: 'o 1' }, 'clientOrderId: must be a clientOrderId, or a child order id <clientOrderId>:<suffix>'],
    ['sent without ibOrderId', { ...validSent, ibOrderId: undefined }, 'ibOrderId: required'],
    ['rejected without reason', { kind: 'rejected', clientOrderId: 'o1', account: 'DU1', actor: 'orders' }, 'reason: required'],
    ['fill with zero quantity', { kind: 'filled', clientOrderId: 'o1', account: 'DU1', actor: 'ib', execId: 'e', quantity: 0, price: 1 }, 'quantity: must be positive'],
    ['fill with NaN price', { kind: 'filled', clientOrderId: 'o1', account: 'DU1', actor: 'ib', execId: 'e', quantity: 1, price: Number.NaN }, 'price: expected number, got NaN'],
    ['modified with no change', { kind: 'modified', clientOrderId: 'o1', account: 'DU1', actor: 'x', changes: {} }, 'changes: must change at least one of quantity, limitPrice, stopPrice'],
    ['caller-supplied seq', { ...validSent, seq: 7 }, 'seq: unknown field'],
    ['caller-supplied timestamp', { ...validSent, ts: '2024-01-01T00:00:00.000Z' }, 'ts: unknown field'],
    ['details that are not JSON', { ...validSent, details: { when: new Date(0) } }, 'details.when:'],
  ])('%s', async (_name, record, expected) => {
    const audit = freshTrail(redis);
    const error = await refusal(() => audit.append(record as AuditRecordInput));
    expect(error.issues.join('\n')).toContain(expected);
    expect(error.message).toContain('invalid audit record');
    expect(await redis.exists(audit.keys.stream, audit.keys.meta, audit.keys.orderIndex('o1'))).toBe(0);
  });

  it('an oversized record', async () => {
    const audit = freshTrail(redis);
    const error = await refusal(() => audit.append(received('big', { details: { blob: 'x'.repeat(MAX_RECORD_BYTES) } })));
    expect(error.issues[0]).toMatch(/^\(root\): is \d+ bytes as JSON; at most 65536$/);
    expect(await redis.exists(audit.keys.stream)).toBe(0);
  });

  it('bad read options and a bad clientOrderId', async () => {
    const audit = freshTrail(redis);
    expect((await refusal(() => audit.readRange({ limit: 0 }))).issues).toEqual(['limit: must be at least 1']);
    expect((await refusal(() => audit.readRange({ fromMs: 10, toMs: 5 }))).issues).toEqual(['fromMs: must not be after toMs']);
    expect((await refusal(() => audit.readRange({ afterId: 'latest' }))).issues).toEqual(['afterId: must be a stream id like 1710513000123-0']);
    expect((await refusal(() => audit.readRange({ since: 1 } as never))).issues).toEqual(['since: unknown field']);
    expect((await refusal(() => audit.historyOf('a b'))).issues).toEqual(['(root): must be a clientOrderId, or a child order id <clientOrderId>:<suffix>']);
    expect(() => new OrderAuditTrail(redis, { key: 'has space' })).toThrow(/key: must not contain whitespace/);
  });

  it('fast-check: mutated records are appended or refused with named fields, never half-written', async () => {
    const audit = freshTrail(redis);
    let appended = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('kind', 'clientOrderId', 'account', 'actor', 'ibOrderId', 'clientId', 'gateway', 'details', 'extra'),
        fc.oneof(fc.anything(), fc.constant(undefined), fc.string(), fc.integer()),
        async (key, value) => {
          const record = { ...validSent, [key]: value };
          try {
            await audit.append(record as AuditRecordInput);
            appended += 1;
          } catch (error) {
            expect(error).toBeInstanceOf(AuditInputError);
            const issues = (error as AuditInputError).issues;
            expect(issues.length).toBeGreaterThan(0);
            if (key !== 'kind') expect(issues.join('\n')).toContain(key);
          }
          expect(await redis.xlen(audit.keys.stream)).toBe(appended);
        },
      ),
      { numRuns: 300 },
    );
    await deleteTrail(redis, audit);
  });
});
