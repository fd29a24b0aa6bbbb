import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

const OVERSCAN = 8;

/**
 * The rows of a long table that are on screen, plus a few: 1,000 orders render ~40 rows. Every row
 * is `rowHeight` tall (the CSS holds them to it); spacer rows keep the scrollbar true. The table
 * keeps aria-rowcount / aria-rowindex so assistive technology knows the whole size.
 */
export function VirtualRows<T>(props: {
  items: T[];
  rowHeight: number;
  height: number;
  columns: number;
  label: string;
  head: VNode;
  row: (item: T, index: number) => VNode;
  tableClass?: string;
}): VNode {
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const frame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setTop(scroller.current?.scrollTop ?? 0);
    });
  };
  const { items, rowHeight, height } = props;
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const above = first * rowHeight;
  const below = (items.length - last) * rowHeight;
  return html`
    <div class="scroller" ref=${scroller} style=${`max-height:${height}px`} onScroll=${onScroll} tabindex="0" role="region" aria-label=${props.label}>
      <table class=${props.tableClass ?? 'grid'} aria-rowcount=${items.length + 1}>
        ${props.head}
        <tbody>
          ${above > 0 ? html`<tr class="spacer" aria-hidden="true" style=${`height:${above}px`}><td colspan=${props.columns}></td></tr>` : null}
          ${items.slice(first, last).map((item, offset) => props.row(item, first + offset))}
          ${below > 0 ? html`<tr class="spacer" aria-hidden="true" style=${`height:${below}px`}><td colspan=${props.columns}></td></tr>` : null}
        </tbody>
      </table>
    </div>
  `;
}
