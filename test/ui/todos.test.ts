import { describe, expect, it } from 'vitest';
import { todoItems } from '../../ui/src/conversation/todos.js';

describe('todoItems: the list a TodoWrite call set', () => {
  it('reads each item as its text and status', () => {
    expect(todoItems({ todos: [{ content: 'Ship it', status: 'pending', activeForm: 'Shipping', id: '1' }] })).toEqual([{ content: 'Ship it', status: 'pending' }]);
  });

  it('is null for any other shape, so the card shows the JSON instead', () => {
    expect(todoItems({ todos: ['broken_todo', { content: 'x', status: 'pending' }] })).toBeNull();
    expect(todoItems({ todos: [{ content: 'no status' }] })).toBeNull();
    expect(todoItems({ todos: [] })).toBeNull();
    expect(todoItems({ items: [] })).toBeNull();
    expect(todoItems(undefined)).toBeNull();
  });
});
