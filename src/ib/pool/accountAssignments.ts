/** Which connection carries each account's orders; changes only when told to. */
export class AccountAssignments {
  private readonly memberByAccount = new Map<string, string>();

  memberOf(account: string): string | undefined {
    return this.memberByAccount.get(account);
  }

  assign(account: string, memberId: string): void {
    this.memberByAccount.set(account, memberId);
  }

  accountsOn(memberId: string): string[] {
    return [...this.memberByAccount].filter(([, id]) => id === memberId).map(([account]) => account);
  }

  /** Forgets every account on the member; returns them so the caller can say which moved. */
  releaseMember(memberId: string): string[] {
    const released = this.accountsOn(memberId);
    for (const account of released) this.memberByAccount.delete(account);
    return released;
  }

  snapshot(): ReadonlyMap<string, string> {
    return new Map(this.memberByAccount);
  }
}
