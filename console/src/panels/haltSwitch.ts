import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { send } from '../api/http.ts';
import { canOperate, session } from '../api/session.ts';
import { halt } from '../live/feeds.ts';
import { notify } from '../state/notices.ts';
import { useSlice } from '../state/slice.ts';
import { dateTime } from '../ui/format.ts';
import { useSubmit } from '../ui/formSubmit.ts';
import { Modal } from '../ui/modal.ts';

/**
 * The kill switch, on every page: whether order intake is halted and why, and (for an operator)
 * halt with a reason, optionally cancelling every working order, and resume (POST /halt, /resume).
 */
export function HaltSwitch(): VNode {
  const [polled] = useSlice(halt.slice);
  const [who] = useSlice(session);
  const [dialog, setDialog] = useState<'halt' | 'resume' | null>(null);
  const state = polled.data;
  const operator = canOperate(who);
  const halted = state?.halted ?? false;
  return html`
    <section class=${`halt-banner ${halted ? 'halted' : state ? 'running' : 'unknown'}`} aria-label="Order intake" id="halt-state">
      <span class="halt-status" role="status">
        ${state === null ? 'Order intake: unknown' : halted ? html`<strong>ORDER INTAKE HALTED</strong>` : 'Order intake running'}
      </span>
      ${halted ? html`<span class="halt-causes">${state?.causes.map((cause) => html`<span class="halt-cause">${cause.cause}: ${cause.reason} (${cause.who}, since ${dateTime(cause.since)})</span>`)}</span>` : null}
      ${halted
        ? html`<button type="button" class="button" disabled=${!operator} title=${operator ? null : 'Log in as operator to resume'} onClick=${() => setDialog('resume')}>Resume…</button>`
        : html`<button type="button" class="button danger" disabled=${!operator} title=${operator ? null : 'Log in as operator to halt'} onClick=${() => setDialog('halt')}>Halt…</button>`}
    </section>
    <${Modal} id="halt-dialog" title=${dialog === 'resume' ? 'Resume order intake' : 'Halt order intake'} open=${dialog !== null} onClose=${() => setDialog(null)}>
      ${dialog === 'halt' ? html`<${HaltForm} onDone=${() => setDialog(null)} />` : dialog === 'resume' ? html`<${ResumeForm} onDone=${() => setDialog(null)} />` : null}
    <//>
  `;
}

function HaltForm(props: { onDone: () => void }): VNode {
  const [reason, setReason] = useState('');
  const [cancelAll, setCancelAll] = useState(false);
  const [operator, setOperator] = useState('');
  const { submit, busy, problems } = useSubmit(async () => {
    const answer = await send<{ cancelRequested?: number }>('POST', '/halt', { reason, cancelAll, ...(operator ? { operator } : {}) });
    notify('success', `Order intake halted${cancelAll ? `; cancel requested for ${answer.cancelRequested ?? 0} working orders` : ''}.`);
    await halt.refresh();
    props.onDone();
  });
  return html`
    <form class="form" onSubmit=${submit}>
      <p>New orders that add risk are rejected until intake resumes; cancels and risk-reducing orders still go. Recorded in the audit trail.</p>
      <label for="halt-reason">Reason <span class="required">(required)</span></label>
      <input id="halt-reason" name="reason" required autofocus value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} aria-invalid=${problems.byField.reason ? 'true' : null} aria-describedby=${problems.byField.reason ? 'halt-reason-error' : null} />
      ${problems.byField.reason ? html`<span id="halt-reason-error" class="field-error">${problems.byField.reason}</span>` : null}
      <label class="check" for="halt-cancel-all"><input id="halt-cancel-all" type="checkbox" checked=${cancelAll} onChange=${(e: Event) => setCancelAll((e.target as HTMLInputElement).checked)} /> Also cancel every working order</label>
      <label for="halt-operator">Your name (recorded with the halt; optional)</label>
      <input id="halt-operator" name="operator" value=${operator} onInput=${(e: Event) => setOperator((e.target as HTMLInputElement).value)} />
      ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
      <div class="actions">
        <button type="button" class="button" onClick=${props.onDone}>Keep running</button>
        <button type="submit" class="button danger" disabled=${busy}>Halt order intake</button>
      </div>
    </form>
  `;
}

function ResumeForm(props: { onDone: () => void }): VNode {
  const [reason, setReason] = useState('');
  const [operator, setOperator] = useState('');
  const { submit, busy, problems } = useSubmit(async () => {
    const answer = await send<{ cleared?: unknown[] }>('POST', '/resume', { reason, ...(operator ? { operator } : {}) });
    notify('success', `Order intake resumed (${answer.cleared?.length ?? 0} cause cleared).`);
    await halt.refresh();
    props.onDone();
  });
  return html`
    <form class="form" onSubmit=${submit}>
      <label for="resume-reason">Reason <span class="required">(required)</span></label>
      <input id="resume-reason" name="reason" required autofocus value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} aria-invalid=${problems.byField.reason ? 'true' : null} />
      ${problems.byField.reason ? html`<span class="field-error">${problems.byField.reason}</span>` : null}
      <label for="resume-operator">Your name (optional)</label>
      <input id="resume-operator" name="operator" value=${operator} onInput=${(e: Event) => setOperator((e.target as HTMLInputElement).value)} />
      ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
      <div class="actions">
        <button type="button" class="button" onClick=${props.onDone}>Stay halted</button>
        <button type="submit" class="button primary" disabled=${busy}>Resume order intake</button>
      </div>
    </form>
  `;
}
