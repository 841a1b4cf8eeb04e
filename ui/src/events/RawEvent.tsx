import { CopyButton } from './CopyButton.js';
import type { LoggedEvent } from './types.js';

/** The event exactly as the API returns it, as text: captured content is never markup here. */
export function RawEvent(props: { event: LoggedEvent; id: string }) {
  const json = () => JSON.stringify(props.event, null, 2);
  return (
    <div class="raw" id={props.id}>
      <div class="raw-head">
        <span class="muted small">Raw JSON</span>
        <CopyButton text={json} label={`Copy event ${props.event.position} as JSON`} />
      </div>
      <pre class="raw-json" tabindex="0" aria-label={`Event ${props.event.position} as JSON`}>
        {json()}
      </pre>
    </div>
  );
}
