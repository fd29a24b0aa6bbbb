import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReplayParser, type ReplayData, type ReplayParserOptions } from './replayData.ts';

export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/** Reads a replay CSV line by line (vendor exports can be large); rejects only if the file is unusable. */
export async function loadReplayFile(path: string, options: ReplayParserOptions, signal?: AbortSignal): Promise<ReplayData> {
  const parser = new ReplayParser(options);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (signal?.aborted) throw new ReplayFileError(`loading ${path} was aborted`);
      parser.push(line);
    }
  } catch (error) {
    if (error instanceof ReplayFileError) throw error;
    throw new ReplayFileError(`cannot read ${path}: ${(error as Error).message}`);
  } finally {
    lines.close();
    stream.destroy();
  }
  if (parser.error) throw new ReplayFileError(`${path} ${parser.error}`);
  const data = parser.finish();
  if (data.count === 0) throw new ReplayFileError(`${path} has no rows for ${options.instruments.join(', ')} (${data.badLineCount} bad lines)`);
  return data;
}
