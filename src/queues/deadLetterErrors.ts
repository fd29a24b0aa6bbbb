/** No dead letter with this id in this queue's dead-letter queue. */
export class DeadLetterNotFoundError extends Error {
  override readonly name = 'DeadLetterNotFoundError';

  constructor(readonly id: string) {
    super(`no dead letter ${JSON.stringify(id)}`);
  }
}

/** The id names another queue, or is not a dead-letter id at all. */
export class DeadLetterIdError extends Error {
  override readonly name = 'DeadLetterIdError';
}

/** The dead letter keeps its payload only as raw text (not JSON, or nested too deep): there is nothing to re-add. */
export class DeadLetterNotReplayableError extends Error {
  override readonly name = 'DeadLetterNotReplayableError';

  constructor(readonly id: string, why: string) {
    super(`dead letter ${JSON.stringify(id)} cannot be replayed: ${why}; its raw fields are kept in the record for inspection`);
  }
}
