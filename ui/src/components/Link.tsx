import type { JSX } from 'solid-js';
import { navigate } from '../lib/router.js';

/** An ordinary link that moves within the page; modified clicks (new tab) stay the browser's. */
export function Link(props: { href: string; class?: string; children: JSX.Element; 'aria-current'?: 'page' | undefined }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={onClick} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}
