/**
 * The drawings' text: one monospace font, so a label's width is known without a DOM (a character
 * is about 0.6 em in every common monospace face) and the layout leaves room for it wherever it is
 * drawn: the SVG, or the console restyling it.
 */
export const FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
export const TITLE_FONT_SIZE = 13;
export const LABEL_FONT_SIZE = 11;

const EM_PER_CHARACTER = 0.62;

export function textWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * EM_PER_CHARACTER);
}

/** A transition as drawn: `EVENT [guard]`, or `EVENT` without a guard. */
export function transitionLabel(event: string, guard: string | null): string {
  return guard === null ? event : `${event} [${guard}]`;
}
