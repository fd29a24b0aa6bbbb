import { useEffect, useState } from 'preact/hooks';

/** The console's pages, by the hash they live at (`#/orders?symbol=ES`): links work, back works, nothing reloads. */
export const PAGES = [
  { id: 'tree', title: 'Supervision tree' },
  { id: 'statecharts', title: 'Statecharts' },
  { id: 'connections', title: 'Connections' },
  { id: 'market-data', title: 'Market data' },
  { id: 'orders', title: 'Orders' },
  { id: 'positions', title: 'Positions' },
  { id: 'queues', title: 'Queues' },
  { id: 'reports', title: 'Reports' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = PAGES.find((candidate) => candidate.id === path)?.id ?? 'tree';
  return { page, params: new URLSearchParams(query) };
}

export const href = (page: PageId, params: Record<string, string> = {}) => {
  const query = new URLSearchParams(params).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
