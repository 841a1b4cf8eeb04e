import { Show } from 'solid-js';
import { Link } from '../components/Link.js';
import type { HookLogLine } from './api.js';
import { stamp } from './format.js';

export interface LogLineProps {
  line: HookLogLine;
  open: boolean;
  onToggle: () => void;
}

/** The line as the hook wrote it, indented; captured text stays text. */
const source = (line: HookLogLine) => (line.line ? JSON.stringify(line.line, null, 2) : (line.raw ?? ''));

/** One log line: time, level, host and what happened; opened, where it came from and the line itself. */
export function LogLine(props: LogLineProps) {
  return (
    <li class="hl-line" data-level={props.line.level}>
      <button type="button" class="hl-line-head" aria-expanded={props.open} onClick={() => props.onToggle()}>
        <time datetime={props.line.time} title={new Date(props.line.time).toLocaleString()}>{stamp(props.line.time)}</time>
        <span class="hl-level">{props.line.level}</span>
        <span class="hl-line-host">{props.line.host}</span>
        <span class="hl-message">{props.line.message}</span>
      </button>
      <Show when={props.open}>
        <div class="hl-detail">
          <dl>
            <Show when={props.line.sessionId && props.line.sessionId !== 'unknown' ? props.line.sessionId : undefined}>
              {(session) => (
                <>
                  <dt>Session</dt>
                  <dd><Link href={`/conversations/${encodeURIComponent(session())}`}>{session()}</Link></dd>
                </>
              )}
            </Show>
            <Show when={props.line.requestId}>
              {(id) => (
                <>
                  <dt>Request</dt>
                  <dd><code>{id()}</code></dd>
                </>
              )}
            </Show>
            <dt>File</dt>
            <dd><code>{props.line.file}</code> at byte {props.line.offset.toLocaleString()}</dd>
            <dt>Hook</dt>
            <dd>{props.line.hookVersion ?? 'version unknown'} · log position #{props.line.position}</dd>
          </dl>
          <pre class="hl-source">{source(props.line)}</pre>
        </div>
      </Show>
    </li>
  );
}
