/** 'closed' when `work` settles within `ms`, else 'timeout' (the work goes on unobserved). */
export async function withinMs(work: Promise<unknown>, ms: number): Promise<'closed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = await Promise.race([work.then(() => 'closed' as const, () => 'closed' as const), bound]);
  clearTimeout(timer);
  return outcome;
}
