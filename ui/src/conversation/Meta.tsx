import { Show, type JSX } from 'solid-js';
import type { Message } from './api.js';
import { CopyLink } from './CopyLink.js';
import { clock } from './text.js';

/** A message's label, time, its own link and a link to the log events it came from. */
export function Meta(props: { message: Message; label: JSX.Element; onSources: (m: Message) => void; children?: JSX.Element }) {
  const count = () => props.message.sources.length;
  return (
    <header class="msg-meta">
      <span class="msg-label">{props.label}</span>
      {props.children}
      <span class="msg-end">
        <Show when={props.message.truncated}>
          <span class="msg-cut" title="Long text was cut in this view; the log keeps it whole">cut</span>
        </Show>
        <CopyLink message={props.message} />
        <time dateTime={props.message.at} title={new Date(props.message.at).toLocaleString()}>
          {clock(props.message.at)}
        </time>
        <button type="button" class="quiet src" onClick={() => props.onSources(props.message)} title="The log events this message was built from">
          {count()} {count() === 1 ? 'event' : 'events'}
        </button>
      </span>
    </header>
  );
}
