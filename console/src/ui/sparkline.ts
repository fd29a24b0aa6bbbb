import { html } from 'htm/preact';
import type { VNode } from 'preact';

/** A price's recent path as a small inline SVG (drawn here: no chart library, nothing fetched). */
export function Sparkline(props: { points: number[]; label: string; width?: number; height?: number }): VNode {
  const width = props.width ?? 120;
  const height = props.height ?? 28;
  const { points } = props;
  if (points.length < 2) return html`<svg class="sparkline" width=${width} height=${height} role="img" aria-label=${`${props.label}: not enough prices yet`}></svg>`;
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  const step = width / (points.length - 1);
  const path = points.map((point, index) => `${(index * step).toFixed(1)},${(height - 2 - ((point - low) / span) * (height - 4)).toFixed(1)}`).join(' ');
  const rising = (points[points.length - 1] ?? 0) >= (points[0] ?? 0);
  return html`
    <svg class=${`sparkline ${rising ? 'up' : 'down'}`} width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${`${props.label}: from ${points[0]} to ${points[points.length - 1]}, low ${low}, high ${high}`}>
      <polyline points=${path} fill="none" stroke-width="1.5" />
    </svg>
  `;
}
