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
