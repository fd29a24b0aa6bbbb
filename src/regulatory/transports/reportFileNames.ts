import { createHash } from 'node:crypto';

const SAFE_STEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The file-system stem of a report id: the id itself when it is a plain file name, otherwise a
 * hash of it. A pure function of the id, so every retry and replay of a report finds the same
 * outbox file and waits for the same acknowledgement file.
 */
export function reportFileStem(reportId: string): string {
  if (SAFE_STEM.test(reportId) && !reportId.endsWith('.tmp')) return reportId;
  return `r-${createHash('sha256').update(reportId).digest('hex').slice(0, 40)}`;
}

/** `<stem>--<engine's file name>`: the regulator sees its expected name, and we find the file by id. */
export function outboxFileName(reportId: string, fileName: string): string {
  const stem = reportFileStem(reportId);
  return SAFE_NAME.test(fileName) && !fileName.endsWith('.tmp') ? `${stem}--${fileName}` : stem;
}

export function ackFileNames(reportId: string): { ack: string; nak: string } {
  const stem = reportFileStem(reportId);
  return { ack: `${stem}.ack`, nak: `${stem}.nak` };
}
