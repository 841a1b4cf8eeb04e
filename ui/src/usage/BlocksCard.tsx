import { createMemo, For, Show } from 'solid-js';
import { ActiveBlock } from './ActiveBlock.js';
import type { Block } from './api.js';
import { clock, dayAndClock, tokens, usd } from './format.js';

/** ccusage's 5-hour billing blocks of the last days, the active one first with its burn rate. */
export function BlocksCard(props: { blocks: Block[]; tz: string }) {
  const active = createMemo(() => props.blocks.find((b) => b.isActive && !b.isGap));
  const past = createMemo(() => props.blocks.filter((b) => !b.isGap && !b.isActive).reverse());
  return (
    <section class="card usage-blocks" aria-labelledby="usage-blocks-title">
      <h2 id="usage-blocks-title">5-hour blocks</h2>
      <Show when={active()} fallback={<p class="muted small">No block is active: the next response starts one.</p>}>
        {(block) => <ActiveBlock block={block()} tz={props.tz} />}
      </Show>
      <Show when={past().length > 0}>
        <table class="usage-table" data-testid="recent-blocks">
          <thead>
            <tr><th scope="col">Block</th><th scope="col">Models</th><th scope="col" class="num">Tokens</th><th scope="col" class="num">Cost</th></tr>
          </thead>
          <tbody>
            <For each={past()}>
              {(b) => (
                <tr>
                  <th scope="row">{dayAndClock(b.startTime, props.tz)} to {clock(b.actualEndTime ?? b.endTime, props.tz)}</th>
                  <td class="small">{b.models.join(', ')}</td>
                  <td class="num">{tokens(b.totalTokens)}</td>
                  <td class="num">{usd(b.costUSD)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
