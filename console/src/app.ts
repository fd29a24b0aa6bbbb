import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { logOut, openLogin, session } from './api/session.ts';
import { describeError } from './api/http.ts';
import { actorStream, connections, events } from './live/feeds.ts';
import { dismiss, notices, notify } from './state/notices.ts';
import { useSlice } from './state/slice.ts';
import type { StreamStatus } from './live/eventStream.ts';
import { AccountBadge, ConnectionsPanel } from './panels/connectionsPanel.ts';
import { HaltSwitch } from './panels/haltSwitch.ts';
import { LoginForm } from './panels/loginForm.ts';
import { MarketDataPanel } from './panels/marketDataPanel.ts';
import { OrdersPanel } from './panels/ordersPanel.ts';
import { PositionsPanel } from './panels/positionsPanel.ts';
import { QueuesPanel } from './panels/queuesPanel.ts';
import { ReportsPanel } from './panels/reportsPanel.ts';
import { StatechartPanel } from './panels/statechartPanel.ts';
import { TreePanel } from './panels/treePanel.ts';
import { Modal } from './ui/modal.ts';
import { href, PAGES, useRoute, type PageId } from './ui/route.ts';

/** Each page's panel, given the page's parameters (most need none). */
const PANELS: Record<PageId, (props: { params: URLSearchParams }) => VNode> = {
  tree: TreePanel,
  statecharts: StatechartPanel,
  connections: ConnectionsPanel,
  'market-data': MarketDataPanel,
  orders: OrdersPanel,
  positions: PositionsPanel,
  queues: QueuesPanel,
  reports: ReportsPanel,
};

function StreamBadge(props: { name: string; status: StreamStatus }): VNode {
  const text = props.status === 'live' ? 'live' : props.status === 'closed' ? 'disconnected' : props.status;
  return html`<span class=${`stream ${props.status}`} title=${`${props.name}: ${text}`}><span class="dot" aria-hidden="true"></span>${props.name} ${text}</span>`;
}

function Header(): VNode {
  const [who] = useSlice(session);
  const [eventsStatus] = useSlice(events.status);
  const [treeStatus] = useSlice(actorStream.status);
  const [node] = useSlice(connections.slice);
  const role = node.data?.node.role;
  const accountType = node.data?.connections.find((connection) => connection.accountType === 'LIVE')?.accountType ?? node.data?.connections[0]?.accountType ?? null;
  const leave = () => logOut().catch((error: unknown) => notify('error', `Log out failed: ${describeError(error)}`));
  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true">◆</span> tradewire <span class="muted">console</span></div>
      <div class="node-facts">
        ${role ? html`<span class=${`role-badge ${role}`} title="This node's role">${role.toUpperCase()}</span>` : null}
        ${node.data ? html`<${AccountBadge} type=${accountType} />` : null}
        ${node.data ? html`<span class="mono muted" title="namespace / node">${node.data.node.namespace} · ${node.data.node.nodeId}</span>` : null}
      </div>
      <div class="streams" aria-label="Live streams"><${StreamBadge} name="events" status=${eventsStatus} /> <${StreamBadge} name="tree" status=${treeStatus} /></div>
      <div class="who">
        ${who.role
          ? html`<span>Logged in: <strong>${who.role === 'operator' ? 'operator' : 'read-only'}</strong></span> <button type="button" class="button small" onClick=${leave}>Log out</button>`
          : html`<span class="pill warn">read-only</span> <button type="button" class="button small primary" onClick=${() => openLogin(true)}>Log in</button>`}
      </div>
    </header>
  `;
}

function Notices(): VNode {
  const [list] = useSlice(notices);
  return html`
    <div class="notices" role="status" aria-live="polite">
      ${list.map((notice) => html`<div key=${notice.id} class=${`notice ${notice.tone}`}><span>${notice.text}</span> <button type="button" class="link" onClick=${() => dismiss(notice.id)} aria-label="Dismiss">×</button></div>`)}
    </div>
  `;
}

/** The whole console: header, the halt switch (on every page), the page tabs, the page. */
export function App(): VNode {
  const [who] = useSlice(session);
  const route = useRoute();
  if (!who.checked) return html`<main class="boot" aria-busy="true"><p>Connecting to the node…</p></main>`;
  if (who.loginRequired) return html`<main class="boot"><${LoginForm} required=${true} /></main>`;
  const title = PAGES.find((page) => page.id === route.page)?.title ?? '';
  return html`
    <a class="skip" href="#main">Skip to the panel</a>
    <${Header} />
    <${HaltSwitch} />
    <nav class="tabs" aria-label="Panels">
      ${PAGES.map((page) => html`<a href=${href(page.id)} aria-current=${page.id === route.page ? 'page' : null} class=${page.id === route.page ? 'tab current' : 'tab'}>${page.title}</a>`)}
    </nav>
    <${Notices} />
    <main id="main" tabindex="-1" aria-label=${title}>
      <${PANELS[route.page]} params=${route.params} />
    </main>
    <${Modal} id="login-dialog" title="Log in to tradewire" open=${who.loginOpen} onClose=${() => openLogin(false)}>
      <${LoginForm} required=${false} />
    <//>
  `;
}
