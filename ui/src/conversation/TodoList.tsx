import { For } from 'solid-js';
import type { Todo } from './todos.js';

const marks: Record<string, string> = { pending: '☐', in_progress: '◐', completed: '☑' };

/** A TodoWrite call's list as Claude Code shows it: a mark for each item's status, then its text. */
export function TodoList(props: { todos: Todo[] }) {
  return (
    <ul class="todo-list">
      <For each={props.todos}>
        {(todo) => (
          <li data-status={todo.status} title={todo.status.replace('_', ' ')}>
            <span class="todo-mark" aria-hidden="true">{marks[todo.status] ?? '•'}</span> {todo.content}
          </li>
        )}
      </For>
    </ul>
  );
}
