export class NoHealthyConnectionError extends Error {
  override readonly name = 'NoHealthyConnectionError';

  constructor(readonly purpose: string, readonly memberIds: readonly string[]) {
    super(
      memberIds.length === 0
        ? `no IB connection is configured for ${purpose}`
        : `no healthy IB connection for ${purpose} (configured: ${memberIds.join(', ')})`,
    );
  }
}

export class UnknownPoolMemberError extends Error {
  override readonly name = 'UnknownPoolMemberError';

  constructor(readonly memberId: string) {
    super(`IB connection "${memberId}" is not in the pool`);
  }
}
