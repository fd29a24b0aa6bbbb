/**
 * Topic patterns over dot-separated topics: `*` matches exactly one segment,
 * `#` (last segment only) matches one or more remaining segments.
 */
export function compileTopicPattern(pattern: string): (topic: string) => boolean {
  const parts = pattern.split('.');
  if (parts.some((part) => part.length === 0)) throw new Error(`invalid topic pattern '${pattern}': empty segment`);
  const hashAt = parts.indexOf('#');
  if (hashAt !== -1 && hashAt !== parts.length - 1) {
    throw new Error(`invalid topic pattern '${pattern}': '#' may only be the last segment`);
  }
  if (!parts.includes('*') && hashAt === -1) return (topic) => topic === pattern;
  return (topic) => {
    const segments = topic.split('.');
    if (hashAt === -1 ? segments.length !== parts.length : segments.length < parts.length) return false;
    const fixed = hashAt === -1 ? parts.length : hashAt;
    for (let i = 0; i < fixed; i += 1) {
      if (parts[i] !== '*' && parts[i] !== segments[i]) return false;
    }
    return true;
  };
}
