import { html } from 'htm/preact';
import { render } from 'preact';
import { onUnauthorized } from './api/http.ts';
import { checkSession, session } from './api/session.ts';
import { App } from './app.ts';
import { startFeeds } from './live/feeds.ts';
import { notify } from './state/notices.ts';

/**
 * Boot: ask who we are, then start the live feeds, unless reads need a login (beyond loopback),
 * in which case the login form shows and the feeds start once it succeeds.
 */
let started = false;
const startOnce = () => {
  if (started || session.value.loginRequired || !session.value.checked) return;
  started = true;
  startFeeds();
};

async function boot(): Promise<void> {
  for (;;) {
    try {
      await checkSession();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

let rechecking = false;
onUnauthorized(() => {
  if (rechecking || !session.value.checked) return;
  rechecking = true;
  const wasLoggedIn = session.value.role !== null;
  void checkSession()
    .then(() => {
      if (wasLoggedIn && session.value.role === null) notify('warning', 'Your session ended (it expired, or the node restarted): log in again to act.');
    })
    .finally(() => (rechecking = false));
});

session.subscribe(startOnce);
render(html`<${App} />`, document.getElementById('app') as HTMLElement);
void boot();
