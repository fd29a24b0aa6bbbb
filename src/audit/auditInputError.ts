/** Bad input to the trail (a malformed record, bad read options). Nothing was written. */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';

  constructor(
    readonly what: string,
    readonly issues: readonly string[],
  ) {
    super(`${what}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}
