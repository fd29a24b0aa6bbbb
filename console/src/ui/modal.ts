import { html } from 'htm/preact';
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal dialog on the native <dialog>: focus moves into it and is held there, Escape closes it,
 * and focus returns to what opened it. Only an operator's click opens one; live updates never do.
 */
export function Modal(props: { title: string; open: boolean; onClose: () => void; children: ComponentChildren; id?: string }): VNode {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (props.open && !element.open) element.showModal();
    if (!props.open && element.open) element.close();
  }, [props.open]);
  const titleId = `${props.id ?? 'modal'}-title`;
  return html`
    <dialog ref=${dialog} id=${props.id} class="modal" aria-labelledby=${titleId} onClose=${props.onClose} onCancel=${props.onClose}>
      ${props.open
        ? html`<h2 id=${titleId}>${props.title}</h2>
            ${props.children}`
        : null}
    </dialog>
  `;
}
