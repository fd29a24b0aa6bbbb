/** A report cannot be rendered from what config and positions hold; the message names the field. */
export class ReportContentError extends Error {
  override readonly name = 'ReportContentError';
}
