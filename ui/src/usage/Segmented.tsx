import { For } from 'solid-js';

/** A row of buttons of which one is chosen, as a group with a name. */
export function Segmented<T extends string>(props: { label: string; value: T; options: Array<[value: T, text: string]>; onChange: (value: T) => void }) {
  return (
    <div class="usage-seg" role="group" aria-label={props.label}>
      <For each={props.options}>
        {([value, text]) => (
          <button type="button" aria-pressed={props.value === value} onClick={() => props.value !== value && props.onChange(value)}>
            {text}
          </button>
        )}
      </For>
    </div>
  );
}
