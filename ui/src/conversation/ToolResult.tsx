import { Match, Show, Switch } from 'solid-js';
import { Clipped } from './Clipped.js';
import type { Expanded } from './expand.js';
import { asText, record, str, stripAnsi } from './text.js';

/** Text blocks of a transcript tool_result (`[{type: 'text', text}]`), or undefined when it is not one. */
function blockText(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const texts = value.map((block) => str(record(block).text));
  return texts.every((t) => t !== undefined) ? texts.join('\n') : undefined;
}

// Edits echo the file and the patch back; the diff of their input already shows it.
const echoes = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit', 'TodoWrite']);

/** What a tool answered: a command's stdout and stderr, a file read, text, or JSON. */
export function ToolResult(props: { id: string; name: string | undefined; result: unknown; expanded: Expanded }) {
  const result = () => record(props.result);
  const fileText = () => str(record(result().file).content);
  return (
    <Switch
      fallback={
        <details class="tool-echo">
          <summary>Result</summary>
          <Clipped id={`${props.id}:out`} class="tool-json" text={asText(props.result)} expanded={props.expanded} />
        </details>
      }
    >
      <Match when={typeof props.result === 'string' || blockText(props.result) !== undefined}>
        <Clipped id={`${props.id}:out`} class="tool-output" text={stripAnsi(typeof props.result === 'string' ? props.result : blockText(props.result)!)} expanded={props.expanded} />
      </Match>
      <Match when={str(result().stdout) !== undefined || str(result().stderr) !== undefined}>
        <Show when={str(result().stdout)}>{(out) => <Clipped id={`${props.id}:out`} class="tool-output" text={stripAnsi(out())} expanded={props.expanded} />}</Show>
        <Show when={str(result().stderr)}>{(err) => <Clipped id={`${props.id}:err`} class="tool-output stderr" text={stripAnsi(err())} expanded={props.expanded} />}</Show>
        <Show when={!str(result().stdout) && !str(result().stderr)}><p class="tool-note muted">no output</p></Show>
        <Show when={result().interrupted === true}><p class="tool-note warn">interrupted</p></Show>
      </Match>
      <Match when={fileText() !== undefined}>
        <Clipped id={`${props.id}:out`} class="tool-output" text={fileText()!} lines={8} expanded={props.expanded} />
      </Match>
      <Match when={!echoes.has(props.name ?? '') && props.result !== null && typeof props.result === 'object'}>
        <Clipped id={`${props.id}:out`} class="tool-json" text={asText(props.result)} lines={12} expanded={props.expanded} />
      </Match>
    </Switch>
  );
}
