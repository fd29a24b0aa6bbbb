import type { EventObject } from 'xstate';
import { z, type ZodType } from 'zod';
import { errorMessage } from '../shared/errorMessage.ts';
import { formatIssues } from '../shared/zodIssues.ts';

/** What a child spec says about its actor beyond the logic: see ChildSpec.eventSchema and .details. */
export interface ActorProfile {
  eventSchema?: ZodType;
  details?: (snapshot: any) => Record<string, unknown>;
}

/**
 * The declared event schema of an actor that takes nothing from outside (supervisors). Declaring
 * no schema at all means the same: only what an actor declares may be injected into it.
 */
export const NO_INJECTED_EVENTS: ZodType = z.never();

/** Per-systemId profiles, registered by supervisors as they start children. */
export class ActorProfiles {
  private readonly profiles = new Map<string, ActorProfile>();

  register(systemId: string, profile: ActorProfile): void {
    if (profile.eventSchema || profile.details) this.profiles.set(systemId, profile);
    else this.profiles.delete(systemId);
  }

  /** The child is gone for good (its supervisor forgot its spec): so is its profile. */
  forget(systemId: string): void {
    this.profiles.delete(systemId);
  }

  schemaOf(systemId: string): ZodType | undefined {
    return this.profiles.get(systemId)?.eventSchema;
  }

  /** Why an injected event would be refused, or null when it is acceptable. */
  problemWith(systemId: string, event: EventObject, listed?: (type: string) => boolean): string | null {
    return eventSchemaProblem(this.schemaOf(systemId), event, listed);
  }

  /** The actor's own summary for `/actors`; a throwing summariser is reported, not propagated. */
  detailsOf(systemId: string, snapshot: unknown): Record<string, unknown> | undefined {
    const details = this.profiles.get(systemId)?.details;
    if (!details || snapshot === undefined) return undefined;
    try {
      return details(snapshot);
    } catch (error) {
      return { detailsError: errorMessage(error) };
    }
  }
}

/**
 * Why `event` does not fit `schema`: an undeclared type is named (with the declared ones that
 * `listed` lets through: a schema may declare types the caller refuses anyway), a bad field is
 * named with its problem.
 */
export function eventSchemaProblem(schema: ZodType | undefined, event: EventObject, listed: (type: string) => boolean = () => true): string | null {
  if (!schema || schema === NO_INJECTED_EVENTS) return 'it accepts no injected events';
  const types = declaredTypes(schema);
  if (types && !types.includes(event.type)) {
    const accepted = types.filter(listed);
    if (accepted.length === 0) return `event type ${JSON.stringify(event.type)} is not declared by it (it accepts no injected events)`;
    return `event type ${JSON.stringify(event.type)} is not declared by it (it accepts ${accepted.map((t) => JSON.stringify(t)).join(', ')})`;
  }
  const result = schema.safeParse(event);
  if (result.success) return null;
  return formatIssues(result.error.issues, { style: 'dotted', root: 'event' }).join('; ');
}

/** The literal `type`s an object schema or a union of them declares, or null when it cannot tell. */
function declaredTypes(schema: ZodType): string[] | null {
  const values = (schema as { _zod?: { propValues?: Record<string, Set<unknown>> } })._zod?.propValues?.type;
  if (!values) return null;
  const types = [...values].filter((value): value is string => typeof value === 'string');
  return types.length === values.size ? types : null;
}
