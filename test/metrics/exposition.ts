/** One metric family of a Prometheus text exposition: its TYPE and every sample's labels and value. */
export interface Family {
  name: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** The families of a /metrics body, by name; samples go to the family their TYPE line names. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      families.set(type[1]!, { name: type[1]!, type: type[2]!, samples: [] });
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const name = sample[1]!;
    const family = families.get(name) ?? families.get(SUFFIXES.reduce((n, suffix) => (n.endsWith(suffix) ? n.slice(0, -suffix.length) : n), name));
    if (!family) throw new Error(`sample without a TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const match of (sample[2] ?? '').matchAll(LABEL)) labels[match[1]!] = match[2]!;
    family.samples.push({ name, labels, value: Number(sample[3]) });
  }
  return families;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** Labels Prometheus itself defines. */
const RESERVED_LABELS = new Set(['le', 'quantile']);

/** What breaks the naming conventions (README, Operations: Metrics), one line each; empty when none. */
export function conventionViolations(families: Iterable<Family>): string[] {
  const problems: string[] = [];
  const byStem = new Map<string, string>();
  for (const family of families) {
    const { name, type } = family;
    if (!name.startsWith('tradewire_')) problems.push(`${name}: not under the tradewire_ prefix`);
    if (!SNAKE.test(name)) problems.push(`${name}: not snake_case`);
    if (type === 'counter' && !name.endsWith('_total')) problems.push(`${name}: a counter not ending in _total`);
    if (type !== 'counter' && name.endsWith('_total') && !name.endsWith('_total_bytes')) problems.push(`${name}: a ${type} named like a counter`);
    if (/(^|_)(ms|milliseconds|millis)(_|$)/.test(name)) problems.push(`${name}: a unit other than seconds`);
    if (type === 'histogram' && !name.endsWith('_seconds') && !name.endsWith('_bytes')) problems.push(`${name}: a histogram not in seconds or bytes`);
    for (const sample of family.samples) {
      for (const label of Object.keys(sample.labels)) {
        if (!RESERVED_LABELS.has(label) && !SNAKE.test(label)) problems.push(`${name}: label ${label} is not snake_case`);
      }
    }
    // tradewire_<area>_<rest>: two families with the same rest under two areas are one family twice (md_ and marketdata_ were).
    const stem = name.replace(/^tradewire_[a-z0-9]+_/, '');
    const twin = byStem.get(stem);
    if (stem !== name && stem.includes('_') && twin !== undefined) problems.push(`${name} and ${twin}: the same family under two prefixes`);
    byStem.set(stem, name);
  }
  return [...new Set(problems)];
}

/** The metric names a PromQL expression uses (identifiers followed by a selector, a range or nothing that makes them a function, keyword or label). */
export function metricNamesIn(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutLabelLists = withoutStrings.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const withoutMatchers = withoutLabelLists.replace(/\{[^}]*\}/g, '{}');
  const names = new Set<string>();
  for (const match of withoutMatchers.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = withoutMatchers.slice(match.index! + word.length).trimStart();
    if (after.startsWith('(')) continue;
    if (/^tradewire_/.test(word)) names.add(word);
  }
  return [...names];
}

/** The family a sample name belongs to (a histogram's _bucket, _sum and _count are its own). */
export function familyOf(metricName: string, families: ReadonlyMap<string, Family>): Family | undefined {
  if (families.has(metricName)) return families.get(metricName);
  for (const suffix of SUFFIXES) if (metricName.endsWith(suffix) && families.get(metricName.slice(0, -suffix.length))?.type === 'histogram') return families.get(metricName.slice(0, -suffix.length));
  return undefined;
}
