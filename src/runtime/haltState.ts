import type { HaltStateView } from '../admin/schemas/haltStateViews.ts';
import type { IntakeHalt } from '../orders/intakeHalt.ts';

/**
 * `GET /halt`: the intake halt's causes with who set each and since when, followed from the
 * halt's own announcements (it keeps only the reasons). Built before anything can halt, so no
 * cause predates it; one that somehow did shows who `tradewire`, since when first read.
 */
export class HaltState {
  private readonly origins = new Map<string, { who: string; since: string }>();

  constructor(private readonly halt: IntakeHalt) {
    halt.onChange((_reason, change) => {
      if (change.set) this.origins.set(change.cause, { who: change.who, since: change.at });
      else this.origins.delete(change.cause);
    });
  }

  read(): HaltStateView {
    const causes = [...this.halt.causes].map(([cause, reason]) => {
      let origin = this.origins.get(cause);
      if (!origin) this.origins.set(cause, (origin = { who: 'tradewire', since: new Date().toISOString() }));
      return { cause, reason, ...origin };
    });
    return { halted: causes.length > 0, causes };
  }
}
