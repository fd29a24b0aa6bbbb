import { Component, type VNode } from 'preact';

/** A component that renders again only when `same` says its props changed (preact's memo without preact/compat). */
export function memoized<P extends object>(render: (props: P) => VNode, same: (before: P, after: P) => boolean) {
  return class Memoized extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props as P, next);
    }
    override render(props: P): VNode {
      return render(props);
    }
  };
}
