import type { EventObject } from 'xstate';
import type { ZodType } from 'zod';

/** What a child spec says about its actor beyond the logic: see ChildSpec.eventSchema and .details. */
export interface ActorProfile {
  eventSchema?: ZodType;
  details?: (snapshot: any) => Record<string, unknown>;
}

/** Per-systemId profiles, registered by supervisors as they start children. */
export class ActorProfiles {
  private readonly profiles = new Map<string, ActorProfile>();

  register(systemId: string, profile: ActorProfile): void {
    if (profile.eventSchema || profile.details) this.profiles.set(systemId, profile);
    else this.profiles.delete(systemId);
  }

  /** Why an injected event would be refused, or null when it is acceptable. */
  problemWith(systemId: string, event: EventObject): string | null {
    const schema = this.profiles.get(systemId)?.eventSchema;
    if (!schema) return null;
    const result = schema.safeParse(event);
    if (result.success) return null;
    return result.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
  }

  /** The actor's own summary for `/actors`; a throwing summariser is reported, not propagated. */
  detailsOf(systemId: string, snapshot: unknown): Record<string, unknown> | undefined {
    const details = this.profiles.get(systemId)?.details;
    if (!details || snapshot === undefined) return undefined;
    try {
      return details(snapshot);
    } catch (error) {
      return { detailsError: error instanceof Error ? error.message : String(error) };
    }
  }
}
