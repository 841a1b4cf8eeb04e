import { record, str } from './text.js';

export interface Todo {
  content: string;
  status: string;
}

/**
 * The list a TodoWrite call set, when it is one: every item an object with its text and
 * status. Anything else (an older or broken shape) is null, and the card shows the JSON.
 */
export function todoItems(input: unknown): Todo[] | null {
  const todos = record(input).todos;
  if (!Array.isArray(todos) || todos.length === 0) return null;
  const items: Todo[] = [];
  for (const item of todos) {
    const content = str(record(item).content);
    const status = str(record(item).status);
    if (content === undefined || status === undefined) return null;
    items.push({ content, status });
  }
  return items;
}
