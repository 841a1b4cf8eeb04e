import { For, Match, Show, Switch } from 'solid-js';
import { Clipped } from './Clipped.js';
import { DiffView } from './DiffView.js';
import type { Expanded } from './expand.js';
import { asText, record, str } from './text.js';
import { TodoList } from './TodoList.js';
import { todoItems } from './todos.js';

interface Props {
  id: string;
  name: string | undefined;
  input: unknown;
  expanded: Expanded;
}

/** What a tool was asked to do, in the form that reads best for it: a command, a diff, a path, or JSON. */
export function ToolInput(props: Props) {
  const input = () => record(props.input);
  const edits = () => (Array.isArray(input().edits) ? (input().edits as unknown[]).map(record) : []);
  return (
    <Switch fallback={<Show when={props.input !== undefined}><Clipped id={`${props.id}:in`} class="tool-json" text={asText(props.input)} lines={12} expanded={props.expanded} /></Show>}>
      <Match when={props.name === 'Bash' && str(input().command)}>
        {(command) => (
          <>
            <Show when={str(input().description)}>{(text) => <p class="tool-note muted">{text()}</p>}</Show>
            <Clipped id={`${props.id}:cmd`} class="tool-command" text={`$ ${command()}`} lines={12} expanded={props.expanded} />
          </>
        )}
      </Match>
      <Match when={props.name === 'Edit' && str(input().file_path)}>
        {(path) => (
          <>
            <p class="tool-path">{path()}{input().replace_all ? ' (every occurrence)' : ''}</p>
            <DiffView id={`${props.id}:diff`} before={str(input().old_string) ?? ''} after={str(input().new_string) ?? ''} expanded={props.expanded} />
          </>
        )}
      </Match>
      <Match when={props.name === 'MultiEdit' && str(input().file_path)}>
        {(path) => (
          <>
            <p class="tool-path">{path()}</p>
            <For each={edits()}>
              {(edit, i) => <DiffView id={`${props.id}:diff${i()}`} before={str(edit.old_string) ?? ''} after={str(edit.new_string) ?? ''} expanded={props.expanded} />}
            </For>
          </>
        )}
      </Match>
      <Match when={props.name === 'Write' && str(input().file_path)}>
        {(path) => (
          <>
            <p class="tool-path">{path()} (whole file)</p>
            <DiffView id={`${props.id}:diff`} before="" after={str(input().content) ?? ''} expanded={props.expanded} />
          </>
        )}
      </Match>
      <Match when={['Read', 'NotebookEdit'].includes(props.name ?? '') && str(input().file_path ?? input().notebook_path)}>
        {(path) => <p class="tool-path">{path()}{input().offset ? ` from line ${String(input().offset)}` : ''}</p>}
      </Match>
      <Match when={['Grep', 'Glob'].includes(props.name ?? '') && str(input().pattern)}>
        {(pattern) => <p class="tool-path">{pattern()}{str(input().path) ? ` in ${str(input().path)}` : ''}</p>}
      </Match>
      <Match when={props.name === 'TodoWrite' && todoItems(props.input)}>
        {(todos) => <TodoList todos={todos()} />}
      </Match>
      <Match when={['Task', 'Agent'].includes(props.name ?? '') && str(input().prompt)}>
        {(prompt) => (
          <>
            <p class="tool-note">{str(input().description) ?? ''} <span class="muted">{str(input().subagent_type) ?? ''}</span></p>
            <Clipped id={`${props.id}:prompt`} class="tool-prompt" text={prompt()} lines={6} expanded={props.expanded} />
          </>
        )}
      </Match>
    </Switch>
  );
}
