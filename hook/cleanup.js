// @ts-check
/**
 * Work to do before the run ends, registered by modules that were actually loaded: main.js
 * must not import node:http just to close agents that a queued run never created.
 */
/** @type {Array<() => void>} */
const tasks = [];

/** @param {() => void} task */
export function atEnd(task) {
  tasks.push(task);
}

export function runAtEnd() {
  for (const task of tasks.splice(0)) task();
}
