import { IANAZone } from 'luxon';

/** Where IB did not say: CME Globex's zone, the home of most of the futures traded here. */
export const FALLBACK_ZONE = 'America/Chicago';

/** The zone an exchange's dates are read in: `zone` when it names one dates can be read in, else FALLBACK_ZONE. */
export function exchangeZone(zone: string | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : FALLBACK_ZONE;
}
