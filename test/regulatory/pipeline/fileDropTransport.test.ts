import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDropTransport } from '../../../src/regulatory/transports/fileDropTransport.ts';
import { outboxFileName, reportFileStem } from '../../../src/regulatory/transports/reportFileNames.ts';
import { AckTimeoutError, RetryableTransportError } from '../../../src/regulatory/transports/transportErrors.ts';
import { TEST_REPORT } from './testEngine.ts';

const report = TEST_REPORT;

let root: string;
let outbox: string;
let inbox: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tradewire-filedrop-'));
  outbox = join(root, 'outbox');
  inbox = join(root, 'inbox');
  await mkdir(inbox, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const transport = () => new FileDropTransport({ outboxDir: outbox, inboxDir: inbox, pollIntervalMs: 5, settleMs: 20 });

describe('file drop transport', () => {
  it('writes the report under a name derived from its id, leaving no temporary file behind', async () => {
    const receipt = await transport().submit(report);
    const name = outboxFileName(report.id, report.fileName);
    expect(name).toBe('TEST-positions-2025-03-03--POS_20250303.txt');
    expect(await readdir(outbox)).toEqual([name]);
    expect(await readFile(join(outbox, name), 'utf8')).toBe(report.body);
    expect(receipt).toMatchObject({ reportId: report.id, transport: 'file', reference: name, alreadyFiled: false });
  });

  it('never overwrites: a second submission of the same id is detected as already filed', async () => {
    await transport().submit(report);
    const again = await transport().submit({ ...report, body: 'DIFFERENT     \n' });
    expect(again.alreadyFiled).toBe(true);
    expect(await readdir(outbox)).toHaveLength(1);
    expect(await readFile(join(outbox, again.reference), 'utf8')).toBe(report.body);
  });

  it('counts a report as already filed when its acknowledgement is in the inbox, even after pickup emptied the outbox', async () => {
    await writeFile(join(inbox, `${report.id}.ack`), '');
    const receipt = await transport().submit(report);
    expect(receipt.alreadyFiled).toBe(true);
    await expect(readdir(outbox)).rejects.toThrow();
  });

  it('picks up an .ack file, and moves it to inbox/processed', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    const waiting = drop.awaitAck(receipt, { timeoutMs: 5_000 });
    await writeFile(join(inbox, `${report.id}.ack`), 'CFTC-REF-77\n');
    await expect(waiting).resolves.toMatchObject({ reportId: report.id, status: 'accepted', reason: 'CFTC-REF-77' });
    expect(await readdir(inbox)).toEqual(['processed']);
    expect(await readdir(join(inbox, 'processed'))).toEqual([`${report.id}.ack`]);
  });

  it('reads a .nak file as a rejection with its text as the reason', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    await writeFile(join(inbox, `${report.id}.nak`), 'line 3: unknown account\u0000\n');
    await expect(drop.awaitAck(receipt, { timeoutMs: 5_000 })).resolves.toMatchObject({ status: 'rejected', reason: 'line 3: unknown account' });
  });

  it('finds an acknowledgement an earlier attempt already moved to processed', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    await mkdir(join(inbox, 'processed'));
    await writeFile(join(inbox, 'processed', `${report.id}.ack`), '');
    await expect(drop.awaitAck(receipt, { timeoutMs: 5_000 })).resolves.toMatchObject({ status: 'accepted' });
  });

  it('leaves an acknowledgement file alone until its writer has had time to finish it', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    const nak = join(inbox, `${report.id}.nak`);
    await writeFile(nak, '');
    // Fresh (its writer may still be writing): not read within this wait.
    const slow = new FileDropTransport({ outboxDir: outbox, inboxDir: inbox, pollIntervalMs: 5, settleMs: 3_600_000 });
    await expect(slow.awaitAck(receipt, { timeoutMs: 30 })).rejects.toThrow(AckTimeoutError);
    await writeFile(nak, 'E7 bad record');
    const anHourAgo = new Date(Date.now() - 3_600_000 - 1_000);
    await utimes(nak, anHourAgo, anHourAgo);
    await expect(slow.awaitAck(receipt, { timeoutMs: 5_000 })).resolves.toMatchObject({ status: 'rejected', reason: 'E7 bad record' });
  });

  it('times out with a retryable AckTimeoutError when no acknowledgement comes', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    const error = await drop.awaitAck(receipt, { timeoutMs: 30 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AckTimeoutError);
    expect(error).toBeInstanceOf(RetryableTransportError);
  });

  it('stops waiting when its signal is aborted', async () => {
    const drop = transport();
    const receipt = await drop.submit(report);
    const controller = new AbortController();
    const waiting = drop.awaitAck(receipt, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort(new Error('reporter stopped'));
    await expect(waiting).rejects.toThrow('reporter stopped');
  });

  it('makes an unwritable outbox a retryable failure naming the directory', async () => {
    await writeFile(outbox, 'a file where the outbox directory should be');
    const error = await transport().submit(report).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RetryableTransportError);
    expect((error as Error).message).toContain(outbox);
  });
});

describe('report file names', () => {
  it('are a deterministic, safe function of the report id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (id) => {
        const stem = reportFileStem(id);
        expect(reportFileStem(id)).toBe(stem);
        expect(stem).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
        expect(stem.length).toBeLessThanOrEqual(128);
        expect(stem.endsWith('.tmp')).toBe(false);
      }),
    );
  });

  it('keep distinct ids apart', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.string({ maxLength: 100 }), (a, b) => {
        fc.pre(a !== b);
        expect(reportFileStem(a)).not.toBe(reportFileStem(b));
      }),
    );
  });
});
