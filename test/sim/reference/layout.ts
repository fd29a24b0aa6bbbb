/**
 * A message layout as IB's reference decoder reads it, expressed as data: an ordered list of
 * fields, each read only when its gate holds. Gates see the negotiated server version, the
 * message version the decoder is using and every field read so far (some reads depend on an
 * earlier value, e.g. hedgeParam only after a non-empty hedgeType).
 */
export interface GateContext {
  sv: number;
  /** The message version the decoder compares against (read from the frame or implied). */
  version: number;
  read: Readonly<Record<string, string>>;
}

export type Gate = (c: GateContext) => boolean;

export interface FieldSpec {
  name: string;
  when?: Gate;
}

/** A group read `count` times, where `count` is the value of an earlier field. */
export interface RepeatSpec {
  repeat: string;
  fields: readonly FieldSpec[];
  when?: Gate;
}

export type Item = FieldSpec | RepeatSpec;

export interface MessageLayout {
  id: number;
  name: string;
  /** Where the layout was transcribed from (IB's reference client). */
  source: string;
  /** The version the decoder uses when it does not read one from the frame. */
  impliedVersion: (sv: number) => number;
  items: readonly Item[];
}

export type WalkResult =
  | { ok: true; values: Record<string, string>; names: string[] }
  | { ok: false; error: string; values: Record<string, string> };

/**
 * Reads `fields` (the frame without its message id) the way the layout says IB's decoder would and
 * requires the frame to end exactly where the decoder stops: a missing field and an extra field
 * are both errors, because either shifts everything IB's client reads after it.
 */
export function walk(layout: MessageLayout, sv: number, fields: readonly string[]): WalkResult {
  const values: Record<string, string> = {};
  const names: string[] = [];
  let pos = 0;
  const context = (): GateContext => ({
    sv,
    read: values,
    version: values.version === undefined ? layout.impliedVersion(sv) : Number(values.version),
  });
  const take = (name: string): string | undefined => {
    if (pos >= fields.length) return undefined;
    const value = fields[pos++] as string;
    values[name] = value;
    names.push(name);
    return value;
  };
  const run = (items: readonly Item[], suffix: string): string | undefined => {
    for (const item of items) {
      if (item.when && !item.when(context())) continue;
      if ('repeat' in item) {
        const count = Number(values[item.repeat + suffix] ?? Number.NaN);
        if (!Number.isInteger(count) || count < 0) return `${item.repeat}${suffix} is not a count`;
        for (let i = 0; i < count; i++) {
          const error = run(item.fields, `${suffix}.${i}`);
          if (error) return error;
        }
      } else if (take(item.name + suffix) === undefined) {
        return `frame ended before ${item.name}${suffix} (field ${pos + 1})`;
      }
    }
    return undefined;
  };
  const error = run(layout.items, '');
  if (error) return { ok: false, error: `${layout.name} at server version ${sv}: ${error}`, values };
  if (pos !== fields.length) {
    return {
      ok: false,
      error: `${layout.name} at server version ${sv}: ${fields.length - pos} field(s) after ${names.at(-1) ?? 'the id'} that IB's decoder does not read`,
      values,
    };
  }
  return { ok: true, values, names };
}

/** Field helpers for the layout tables. */
export const f = (name: string, when?: Gate): FieldSpec => (when ? { name, when } : { name });
export const fields = (when: Gate, ...names: string[]): FieldSpec[] => names.map((name) => ({ name, when }));
export const repeat = (count: string, group: readonly FieldSpec[], when?: Gate): RepeatSpec =>
  when ? { repeat: count, fields: group, when } : { repeat: count, fields: group };

export const svAtLeast = (min: number): Gate => (c) => c.sv >= min;
export const svBelow = (max: number): Gate => (c) => c.sv < max;
export const versionAtLeast = (min: number): Gate => (c) => c.version >= min;
export const both = (a: Gate, b: Gate): Gate => (c) => a(c) && b(c);
export const isSet = (name: string): Gate => (c) => (c.read[name] ?? '') !== '';
