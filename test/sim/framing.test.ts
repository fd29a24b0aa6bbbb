import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldReader, TruncatedMessageError } from '../../src/sim/protocol/fieldReader.ts';
import { FrameDecoder } from '../../src/sim/protocol/frameDecoder.ts';
import { FrameWriter } from '../../src/sim/protocol/frameWriter.ts';
import { negotiateVersion } from '../../src/sim/protocol/handshake.ts';
import { framesOf } from './wireCodec.ts';

const fieldText = fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0'));

describe('FrameWriter', () => {
  it('writes integers, fixed-point prices and strings exactly as the client expects to read them', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 6 }), fieldText, (n, scaled, decimals, text) => {
        const w = new FrameWriter(8);
        w.begin(1).int(n).fixed(scaled, decimals).str(text).num(undefined).bool(true).end();
        const [fields] = framesOf(w.take() as Buffer);
        expect(fields).toEqual(['1', String(n), String(Number((scaled / 10 ** decimals).toFixed(decimals))), text, '', '1']);
      }),
    );
  });

  it('batches many frames into one buffer and resets after take()', () => {
    const w = new FrameWriter(4);
    for (let i = 0; i < 1000; i++) w.begin(49).int(1).int(i).end();
    const frames = framesOf(w.take() as Buffer);
    expect(frames).toHaveLength(1000);
    expect(frames[999]).toEqual(['49', '1', '999']);
    expect(w.take()).toBeNull();
  });
});

describe('FrameDecoder', () => {
  it('reassembles frames however the byte stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fieldText, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1 }), (messages, cuts) => {
        const w = new FrameWriter(16);
        for (const fields of messages) {
          w.begin(1);
          for (const f of fields) w.str(f);
          w.end();
        }
        const bytes = w.take() as Buffer;
        const decoder = new FrameDecoder();
        const got: string[][] = [];
        let offset = 0;
        for (let i = 0; offset < bytes.length; i++) {
          const size = cuts[i % cuts.length] as number;
          decoder.feed(bytes.subarray(offset, offset + size), (payload) => got.push(readAll(payload)));
          offset += size;
        }
        expect(got).toEqual(messages.map((fields) => ['1', ...fields]));
        expect(decoder.pendingBytes).toBe(0);
      }),
    );
  });

  it('refuses a frame longer than the limit as soon as its header arrives', () => {
    const decoder = new FrameDecoder(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    const result = decoder.feed(header, () => expect.fail('no frame expected'));
    expect(result).toEqual({ ok: false, reason: 'frame length 1025 exceeds 1024' });
  });
});

describe('FieldReader', () => {
  it('reads typed fields and reports truncation and malformed integers', () => {
    const r = FieldReader.fromFields(['12', '-3', '', '1.5', 'abc', '1', 'x']);
    expect([r.int(), r.int(), r.int(), r.optNum(), r.str(), r.bool()]).toEqual([12, -3, 0, 1.5, 'abc', true]);
    expect(() => r.int('qty')).toThrow(TruncatedMessageError);
    expect(r.str()).toBe('x');
    expect(() => r.str('more')).toThrow(/message ended before more/);
  });

  it('treats a missing final NUL as the end of the last field', () => {
    const r = new FieldReader(Buffer.from('49\x001', 'latin1'));
    expect([r.int(), r.int(), r.remaining]).toEqual([49, 1, 0]);
  });
});

describe('version negotiation', () => {
  it('picks the highest common version, or refuses with a reason', () => {
    expect(negotiateVersion('v100..193', { min: 100, max: 176 })).toMatchObject({ ok: true, serverVersion: 176 });
    expect(negotiateVersion('v100..193 +PACEAPI', { min: 100, max: 193 })).toMatchObject({ ok: true, serverVersion: 193 });
    expect(negotiateVersion('v120', { min: 100, max: 193 })).toMatchObject({ ok: true, serverVersion: 120 });
    expect(negotiateVersion('v194..200', { min: 100, max: 193 })).toEqual({ ok: false, reason: 'client versions 194..200 outside server range 100..193' });
    expect(negotiateVersion('100..193', { min: 100, max: 193 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^garbled version string/) });
  });
});

function readAll(payload: Buffer): string[] {
  const r = new FieldReader(payload);
  const out: string[] = [];
  while (r.remaining > 0) out.push(r.str());
  return out;
}
