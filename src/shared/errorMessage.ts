/** What went wrong, as text: an Error's message, anything else thrown as it prints. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
