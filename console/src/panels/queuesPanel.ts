import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError, getJson, send } from '../api/http.ts';
import { canOperate, session } from '../api/session.ts';
import type { DeadLetter, DeadLetters } from '../api/types.ts';
import { deadLetterQueues } from '../live/feeds.ts';
import { notify } from '../state/notices.ts';
import { useSlice } from '../state/slice.ts';
import { dateTime, num } from '../ui/format.ts';
import { useSubmit } from '../ui/formSubmit.ts';
import { Modal } from '../ui/modal.ts';

/** Counts per queue, and a queue's dead letters with replay and purge (the audited /dlq routes; Bull Board is read-only). */
export function QueuesPanel(props: { params: URLSearchParams }): VNode {
  useEffect(() => deadLetterQueues.watch(), []);
  const [polled] = useSlice(deadLetterQueues.slice);
  const [chosen, setChosen] = useState<string | null>(props.params.get('queue'));
  const queues = polled.data?.queues ?? [];
  return html`
    <section class="card" aria-labelledby="queues-title">
      <header class="card-head">
        <h2 id="queues-title">Queues</h2>
        <a class="button small" href="/queues" target="_blank" rel="noopener">Open Bull Board (read-only)</a>
      </header>
      ${polled.error ? html`<p class="form-error" role="alert">GET /dlq: ${polled.error}</p>` : null}
      <table class="grid">
        <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Active</th><th scope="col" class="num">Delayed</th><th scope="col" class="num">Prioritized</th><th scope="col" class="num">Completed</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Dead letters</th><th scope="col">Dead letters</th></tr></thead>
        <tbody>
          ${queues.map(
            (queue) => html`<tr key=${queue.name} class=${queue.dead > 0 ? 'warn-row' : ''}>
              <th scope="row" class="mono">${queue.name}</th>
              <td class="num">${num(queue.counts.waiting)}</td><td class="num">${num(queue.counts.active)}</td><td class="num">${num(queue.counts.delayed)}</td>
              <td class="num">${num(queue.counts.prioritized)}</td><td class="num">${num(queue.counts.completed)}</td><td class="num">${num(queue.counts.failed)}</td>
              <td class=${`num ${queue.dead > 0 ? 'bad-text strong' : ''}`}>${num(queue.dead)}</td>
              <td><button type="button" class="button small" aria-pressed=${chosen === queue.name} onClick=${() => setChosen(queue.name)}>Show dead letters</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${chosen ? html`<${DeadLetters} key=${chosen} queue=${chosen} dead=${queues.find((queue) => queue.name === chosen)?.dead ?? 0} />` : null}
  `;
}

function DeadLetters(props: { queue: string; dead: number }): VNode {
  const [who] = useSlice(session);
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [purging, setPurging] = useState(false);
  const operator = canOperate(who);
  const read = () =>
    getJson<DeadLetters>(`/dlq/${encodeURIComponent(props.queue)}?limit=100`)
      .then((answer) => (setLetters(answer.deadLetters), setError(null)))
      .catch((failure: unknown) => setError(describeError(failure)));
  // Read again whenever the count moves (a replay, a purge, a new dead letter).
  useEffect(() => void read(), [props.queue, props.dead]);
  const replay = async (body: { id: string } | { all: true }, what: string) => {
    try {
      await send('POST', `/dlq/${encodeURIComponent(props.queue)}/replay`, body);
      notify('success', `Replayed ${what} on ${props.queue}.`);
    } catch (failure) {
      notify('error', `Replay of ${what} failed: ${describeError(failure)}`);
    }
    await Promise.all([read(), deadLetterQueues.refresh()]);
  };
  return html`
    <section class="card" aria-labelledby="dead-title">
      <header class="card-head">
        <h2 id="dead-title">Dead letters of <span class="mono">${props.queue}</span></h2>
        <div class="filters">
          <button type="button" class="button small" disabled=${!operator || !letters?.some((letter) => letter.replayable && !letter.replayedAt)} onClick=${() => replay({ all: true }, 'every replayable dead letter')}>Replay all</button>
          <button type="button" class="button small danger" disabled=${!operator} onClick=${() => setPurging(true)}>Purge…</button>
        </div>
      </header>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
      ${letters && letters.length === 0 ? html`<p class="empty">No dead letters.</p>` : null}
      ${letters && letters.length > 0
        ? html`<table class="grid">
            <thead><tr><th scope="col">Id</th><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">Reason</th><th scope="col">Dead since</th><th scope="col" class="num">Attempts</th><th scope="col">Replayed</th><th scope="col">Data</th><th scope="col">Action</th></tr></thead>
            <tbody>
              ${letters.map(
                (letter) => html`<tr key=${letter.id}>
                  <th scope="row" class="mono">${letter.id}</th>
                  <td class="mono">${letter.jobId}</td>
                  <td>${letter.kind}</td>
                  <td class="reason">${letter.reason}</td>
                  <td class="mono">${dateTime(letter.deadLetteredAt)}</td>
                  <td class="num">${letter.attempts}</td>
                  <td class="mono">${letter.replayedAt ? dateTime(letter.replayedAt) : '—'}</td>
                  <td><details><summary>data</summary><pre>${JSON.stringify(letter.data, null, 2)}</pre></details></td>
                  <td><button type="button" class="button small" disabled=${!operator || !letter.replayable || letter.replayedAt !== null} title=${letter.replayable ? null : 'This dead letter cannot be replayed (see its reason)'} onClick=${() => replay({ id: letter.id }, letter.id)} aria-label=${`Replay ${letter.id}`}>Replay</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : null}
    </section>
    <${Modal} id="purge-dialog" title=${`Purge dead letters of ${props.queue}`} open=${purging} onClose=${() => setPurging(false)}>
      ${purging ? html`<${PurgeForm} queue=${props.queue} onDone=${() => (setPurging(false), void read(), void deadLetterQueues.refresh())} />` : null}
    <//>
  `;
}

function PurgeForm(props: { queue: string; onDone: () => void }): VNode {
  const [olderThan, setOlderThan] = useState('7d');
  const { submit, problems } = useSubmit(async () => {
    const answer = await send<{ count: number }>('POST', `/dlq/${encodeURIComponent(props.queue)}/purge`, { olderThan });
    notify('success', `Purged ${answer.count} dead letters older than ${olderThan} from ${props.queue}.`);
    props.onDone();
  });
  return html`
    <form class="form" onSubmit=${submit}>
      <label for="purge-older-than">Delete dead letters older than (e.g. 7d, 12h)</label>
      <input id="purge-older-than" name="olderThan" required autofocus value=${olderThan} onInput=${(e: Event) => setOlderThan((e.target as HTMLInputElement).value)} aria-invalid=${problems.byField.olderThan ? 'true' : null} />
      ${problems.byField.olderThan ? html`<span class="field-error">${problems.byField.olderThan}</span>` : null}
      ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
      <div class="actions">
        <button type="button" class="button" onClick=${props.onDone}>Close</button>
        <button type="submit" class="button danger">Purge</button>
      </div>
    </form>
  `;
}
