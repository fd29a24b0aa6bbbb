import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder';
import { FieldReader } from '../../src/sim/protocol/fieldReader.ts';
import { FrameWriter } from '../../src/sim/protocol/frameWriter.ts';

export interface DecodedEvent {
  name: string;
  args: unknown[];
}

export interface DecodeOutcome {
  events: DecodedEvent[];
  errors: { message: string; code: number }[];
}

/** Splits a buffer of length-prefixed frames into field arrays, checking the framing is exact. */
export function framesOf(buffer: Buffer): string[][] {
  const frames: string[][] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const payload = buffer.subarray(offset + 4, offset + 4 + length);
    if (payload.length !== length) throw new Error('truncated frame');
    const text = payload.toString('utf8');
    if (!text.endsWith('\0')) throw new Error('frame does not end with NUL');
    frames.push(text.slice(0, -1).split('\0'));
    offset += 4 + length;
  }
  return frames;
}

/** Runs what a FrameWriter produced through @stoqey/ib's own decoder at a given server version. */
export function decodeWithClient(serverVersion: number, write: (w: FrameWriter) => void): DecodeOutcome {
  const w = new FrameWriter(64);
  write(w);
  const outcome: DecodeOutcome = { events: [], errors: [] };
  const decoder = new Decoder({
    serverVersion,
    emitEvent: (name: string, ...args: unknown[]) => outcome.events.push({ name, args }),
    emitError: (message: string, code: number) => outcome.errors.push({ message, code }),
    emitInfo: (message: string, code: number) => outcome.events.push({ name: 'info', args: [message, code] }),
  } as never);
  for (const frame of framesOf(w.take() ?? Buffer.alloc(0))) decoder.enqueueMessage(frame);
  decoder.process();
  return outcome;
}

/** Encodes one request with @stoqey/ib's encoder at a server version and returns a reader over its fields. */
export function encodeWithClient(serverVersion: number, call: (encoder: Encoder) => void): { messageId: number; reader: FieldReader } {
  let tokens: unknown[] | undefined;
  const errors: string[] = [];
  const encoder = new Encoder({
    serverVersion,
    sendMsg: (args: unknown[]) => {
      tokens = args;
    },
    emitError: (message: string) => errors.push(message),
  } as never);
  call(encoder);
  if (errors.length > 0) throw new Error(`encoder refused: ${errors.join('; ')}`);
  if (!tokens) throw new Error('encoder sent nothing');
  const fields = flatten(tokens).map((t) => (t === true ? '1' : t === false ? '0' : t === undefined || t === null ? '' : String(t)));
  const reader = FieldReader.fromFields(fields);
  return { messageId: reader.int(), reader };
}

function flatten(values: unknown[], out: unknown[] = []): unknown[] {
  for (const v of values) {
    if (Array.isArray(v)) flatten(v, out);
    else out.push(v);
  }
  return out;
}
