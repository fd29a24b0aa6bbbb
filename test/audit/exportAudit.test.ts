import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AuditInputError, csvField, EXPORT_COLUMNS, exportAudit, type AuditRecordInput, type OrderAuditTrail } from '../../src/audit/index.ts';
import { received, useTrails } from './auditFixture.ts';

const { trail } = useTrails();

async function exported(audit: OrderAuditTrail, options: Parameters<typeof exportAudit>[1]): Promise<{ text: string; count: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await exportAudit(audit, options, out);
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), count };
}

/** A small RFC 4180 reader, to check the writer against: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 1);
    else field += c;
  }
  return rows;
}

const rejected: AuditRecordInput = {
  kind: 'rejected', clientOrderId: 'x1', account: 'DU1', actor: 'orders', reason: 'limitPrice: "required",\r\nsee docs', code: 201, details: { note: ' padded ' },
};
const modified: AuditRecordInput = { kind: 'modified', clientOrderId: 'x1', account: 'DU1', actor: 'order:x1', changes: { limitPrice: 5211.25 } };

describe('export for an examiner', () => {
  it('CSV: fixed header, one row per record, fields flattened, objects as JSON in one cell, ISO ms UTC', async () => {
    const audit = trail();
    const first = await audit.append(rejected);
    const second = await audit.append(modified);
    const { text, count } = await exported(audit, { fromMs: 0, toMs: second.tsMs, format: 'csv' });
    expect(count).toBe(2);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(EXPORT_COLUMNS);
    expect(header?.slice(0, 8)).toEqual(['seq', 'ts', 'tsMs', 'kind', 'clientOrderId', 'account', 'actor', 'reason']);
    const col = (row: string[] | undefined, name: string) => row?.[EXPORT_COLUMNS.indexOf(name)];
    expect(rows).toHaveLength(2);
    expect(col(rows[0], 'seq')).toBe('1');
    expect(col(rows[0], 'ts')).toBe(first.ts);
    expect(col(rows[0], 'ts')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(col(rows[0], 'reason')).toBe(rejected.kind === 'rejected' ? rejected.reason : '');
    expect(col(rows[0], 'code')).toBe('201');
    expect(col(rows[0], 'details')).toBe('{"note":" padded "}');
    expect(col(rows[0], 'prevHash')).toBe(first.prevHash);
    expect(col(rows[0], 'hash')).toBe(first.hash);
    expect(col(rows[1], 'changes')).toBe('{"limitPrice":5211.25}');
    expect(col(rows[1], 'reason')).toBe('');
    expect(col(rows[1], 'streamId')).toBe(second.id);
  });

  it('JSONL: one canonical record per line with stream id and chain; the range is inclusive', async () => {
    const audit = trail();
    const results = [];
    for (let n = 0; n < 5; n += 1) results.push(await audit.append(received(`j${n}`, { details: { n } })));
    const all = await exported(audit, { fromMs: results[0]!.tsMs, toMs: results[4]!.tsMs, format: 'jsonl', pageSize: 2 });
    const lines = all.text.trimEnd().split('\n');
    expect(all.count).toBe(5);
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3, 4, 5]);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ seq: 1, streamId: results[0]!.id, prevHash: results[0]!.prevHash, hash: results[0]!.hash, ts: results[0]!.ts });
    expect(Object.keys(first)).toEqual([...Object.keys(first)].sort());

    const later = await exported(audit, { fromMs: results[4]!.tsMs + 1, toMs: results[4]!.tsMs + 10, format: 'jsonl' });
    expect(later).toEqual({ text: '', count: 0 });
    expect((await exported(audit, { fromMs: results[4]!.tsMs + 1, toMs: results[4]!.tsMs + 10, format: 'csv' })).text.split('\r\n')).toHaveLength(2);
  });

  it('fast-check: any string survives a CSV field round trip', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), (values) => {
        expect(parseCsv(`${values.map(csvField).join(',')}\r\n`)).toEqual([values]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses bad options, naming them', async () => {
    const audit = trail();
    const refusal = (options: unknown) => exported(audit, options as never).then(() => undefined, (error: unknown) => error);
    const error = (await refusal({ fromMs: 1, toMs: 5, format: 'xml' })) as AuditInputError;
    expect(error).toBeInstanceOf(AuditInputError);
    expect(error.issues).toEqual(['format: must be one of csv, jsonl']);
    expect(((await refusal({ fromMs: 5, toMs: 1, format: 'csv' })) as AuditInputError).issues).toEqual(['fromMs: must not be after toMs']);
    expect(((await refusal({ toMs: 1, format: 'csv' })) as AuditInputError).issues).toEqual(['fromMs: required']);
  });
});
