/**
 * `ms` moved by whole calendar years, UTC. A 29 February that does not exist in the target year
 * becomes the 28th when going back (so "5 years ago" is never later than five full years) and
 * 1 March when going forward (so "5 years after" is never earlier).
 */
export function shiftYears(ms: number, years: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCFullYear(date.getUTCFullYear() + years);
  if (years < 0 && target.getUTCMonth() !== date.getUTCMonth()) target.setUTCDate(0);
  return target.getTime();
}
