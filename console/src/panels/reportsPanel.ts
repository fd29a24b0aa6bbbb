import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError, send } from '../api/http.ts';
import { canOperate, session } from '../api/session.ts';
import type { AuditVerification } from '../api/types.ts';
import { reports } from '../live/feeds.ts';
import { useSlice } from '../state/slice.ts';
import { useNow } from '../ui/clock.ts';
import { dateTime, duration } from '../ui/format.ts';

/** Regulatory reports: the next deadline, the last filings and their acknowledgements, transport health; and the audit trail's verification. */
export function ReportsPanel(): VNode {
  useEffect(() => reports.watch(), []);
  const [polled] = useSlice(reports.slice);
  const now = useNow();
  const data = polled.data;
  const due = data?.nextDeadline ? Date.parse(data.nextDeadline.due) - now : null;
  return html`
    <div class="panel-grid two">
      <section class="card" aria-labelledby="deadline-title">
        <header class="card-head"><h2 id="deadline-title">Next filing deadline</h2></header>
        ${polled.error ? html`<p class="form-error" role="alert">GET /reports: ${polled.error}</p>` : null}
        ${data?.nextDeadline
          ? html`<p class="deadline"><strong>${data.nextDeadline.report}</strong> due ${dateTime(data.nextDeadline.due)} <span class=${due !== null && due < 3_600_000 ? 'warn-text strong' : 'muted'}>(${due !== null && due < 0 ? `overdue by ${duration(-due)}` : `in ${duration(due)}`})</span></p>`
          : html`<p class="empty">${data ? 'No deadline ahead.' : 'Reading…'}</p>`}
        <h3>Transports</h3>
        <ul class="plain">
          ${(data?.transports ?? []).map((transport) => html`<li key=${transport.name}><strong>${transport.name}</strong> <span class=${`pill health ${transport.health}`}>${transport.health}</span> ${transport.lastError ? html`<span class="bad-text">${transport.lastError}</span>` : null}</li>`)}
        </ul>
      </section>
      <${AuditVerify} />
    </div>
    <section class="card" aria-labelledby="filings-title">
      <header class="card-head"><h2 id="filings-title">Last filings</h2></header>
      ${data && data.filings.length === 0 ? html`<p class="empty">Nothing filed yet.</p>` : null}
      ${data && data.filings.length > 0
        ? html`<table class="grid">
            <thead><tr><th scope="col">Report</th><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Filed</th><th scope="col">Acknowledgement</th></tr></thead>
            <tbody>${data.filings.map((filing) => html`<tr key=${filing.id}><th scope="row">${filing.report}</th><td class="mono">${filing.date}</td><td><span class=${`pill filing ${filing.status}`}>${filing.status}</span></td><td class="mono">${dateTime(filing.filedAt)}</td><td class="mono">${filing.acknowledgement ?? '—'}</td></tr>`)}</tbody>
          </table>`
        : null}
    </section>
  `;
}

function AuditVerify(): VNode {
  const [who] = useSlice(session);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const operator = canOperate(who);
  const asIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const verify = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fromIso = asIso(from);
      const toIso = asIso(to);
      setResult(await send<AuditVerification>('POST', '/audit/verify', { ...(fromIso ? { from: fromIso } : {}), ...(toIso ? { to: toIso } : {}) }));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <section class="card" aria-labelledby="audit-title">
      <header class="card-head"><h2 id="audit-title">Audit trail</h2></header>
      <form class="form inline" onSubmit=${verify}>
        <label for="audit-from">From (optional)</label>
        <input id="audit-from" type="datetime-local" value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />
        <label for="audit-to">To (optional)</label>
        <input id="audit-to" type="datetime-local" value=${to} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
        <button type="submit" class="button primary" disabled=${busy || !operator} title=${operator ? null : 'Log in as operator to verify'}>${busy ? 'Verifying…' : 'Verify the hash chain'}</button>
      </form>
      <div role="status" aria-live="polite">
        ${error ? html`<p class="form-error">${error}</p>` : null}
        ${result
          ? html`<div class=${`verify-result ${result.ok ? 'ok' : 'bad'}`}>
              <p><strong>${result.ok ? 'Intact' : 'PROBLEMS FOUND'}</strong>: ${result.records} records checked, ${result.from || result.to ? `${dateTime(result.from)} to ${dateTime(result.to)}` : 'the whole trail'}.</p>
              ${result.problems.length > 0 ? html`<ul>${result.problems.map((problem, index) => html`<li key=${index}>${problem.seq !== undefined ? `#${problem.seq} ` : ''}<strong>${problem.kind}</strong>: ${problem.message}</li>`)}</ul>` : null}
            </div>`
          : null}
      </div>
    </section>
  `;
}
