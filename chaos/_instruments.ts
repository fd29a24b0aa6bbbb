/** The futures chaos runs trade, and the contract month of each (all listed by the simulator). */
export const CHAOS_SYMBOLS = ['ES', 'NQ', 'ZN', 'CL', 'GC'] as const;

export const CHAOS_EXPIRY: Record<(typeof CHAOS_SYMBOLS)[number], string> = { ES: '202703', NQ: '202703', ZN: '202703', CL: '202702', GC: '202702' };
