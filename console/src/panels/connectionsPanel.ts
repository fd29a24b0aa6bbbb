import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ConnectionRow } from '../api/types.ts';
import { connections } from '../live/feeds.ts';
import { useSlice } from '../state/slice.ts';
import { dateTime } from '../ui/format.ts';

export function AccountBadge(props: { type: 'PAPER' | 'LIVE' | null; large?: boolean }): VNode {
  const type = props.type ?? 'UNKNOWN';
  return html`<span class=${`account-badge ${type.toLowerCase()} ${props.large ? 'large' : ''}`} title=${type === 'LIVE' ? 'Real money: a live account' : type === 'PAPER' ? 'A paper (simulated) account' : 'Account type not known yet'}>${type}</span>`;
}

/** This node's role and lease, and each IB connection: account type, gateway, health, farms, last error with its hint, breaker, pacing. */
export function ConnectionsPanel(): VNode {
  useEffect(() => connections.watch(), []);
  const [polled] = useSlice(connections.slice);
  const data = polled.data;
  return html`
    ${polled.error ? html`<p class="form-error" role="alert">GET /connections: ${polled.error}</p>` : null}
    ${data
      ? html`
          <section class="card" aria-labelledby="node-title">
            <header class="card-head"><h2 id="node-title">This node</h2></header>
            <dl class="facts wide">
              <dt>Role</dt><dd><span class=${`role-badge ${data.node.role}`}>${data.node.role.toUpperCase()}</span></dd>
              <dt>Node id</dt><dd class="mono">${data.node.nodeId}</dd>
              <dt>Namespace</dt><dd class="mono">${data.node.namespace}</dd>
              <dt>Lease fencing token</dt><dd class="mono">${data.node.fencingToken ?? '—'}</dd>
              <dt>Active node</dt><dd class="mono">${data.node.activeNodeId ?? 'none'}</dd>
            </dl>
          </section>
          ${data.connections.length === 0 ? html`<p class="empty">No IB connection in this process.</p>` : null}
          ${data.connections.map((connection) => html`<${ConnectionCard} key=${connection.id} connection=${connection} />`)}
        `
      : html`<p class="empty">Reading GET /connections…</p>`}
  `;
}

function ConnectionCard(props: { connection: ConnectionRow }): VNode {
  const { connection } = props;
  const error = connection.lastError;
  return html`
    <section class="card connection" aria-labelledby=${`connection-${connection.id}`}>
      <header class="card-head">
        <h2 id=${`connection-${connection.id}`}>Connection <span class="mono">${connection.id}</span></h2>
        <${AccountBadge} type=${connection.accountType} large=${true} />
      </header>
      <dl class="facts wide">
        <dt>Gateway</dt><dd class="mono">${connection.gateway ? `${connection.gateway.host}:${connection.gateway.port}` : '—'}</dd>
        <dt>Client id</dt><dd class="mono">${connection.clientId ?? '—'}</dd>
        <dt>Accounts</dt><dd class="mono">${connection.accounts.join(', ') || '—'}</dd>
        <dt>Health</dt><dd><span class=${`pill health ${connection.health}`}>${connection.health}</span> <span class="mono muted">${connection.state}</span></dd>
        <dt>Data farms</dt><dd>${connection.dataFarms.length === 0 ? '—' : connection.dataFarms.map((farm) => html`<span class=${`pill ${farm.ok ? 'ok' : 'bad'}`}>${farm.name}: ${farm.ok ? 'ok' : 'broken'}</span> `)}</dd>
        <dt>Circuit breaker</dt><dd>${connection.breaker ? html`<span class=${`pill breaker ${connection.breaker.state}`}>${connection.breaker.state}</span>` : '—'}</dd>
        <dt>Pacing</dt><dd>${connection.pacing.ratePerSecond} msg/s, burst ${connection.pacing.burst}, ${connection.pacing.queued} queued</dd>
      </dl>
      <div class=${`last-error ${error ? 'has-error' : ''}`}>
        <h3>Last error</h3>
        ${error
          ? html`<p><strong>${error.code !== null ? `${error.code}: ` : ''}${error.message}</strong> <span class="muted">${dateTime(error.at)}</span></p>
              <p>Cause: ${error.cause}</p>
              <p class="hint">${error.hint}</p>`
          : html`<p class="muted">None.</p>`}
      </div>
    </section>
  `;
}
