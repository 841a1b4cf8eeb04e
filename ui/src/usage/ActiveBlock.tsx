import { ticking } from '../conversations/ago.js';
import type { Block } from './api.js';
import { clock, count, minutes, usd } from './format.js';

/** The 5-hour block under way: what it has cost, how fast it is spending, and where it will end. */
export function ActiveBlock(props: { block: Block; tz: string }) {
  const now = ticking(15_000);
  const b = () => props.block;
  const left = () => Math.max(0, (Date.parse(b().endTime) - now()) / 60_000);
  return (
    <div class="usage-active" data-testid="active-block">
      <p class="small">
        <span class="pill" data-tone="live">Active</span> {clock(b().startTime, props.tz)} to {clock(b().endTime, props.tz)}
      </p>
      <dl class="usage-facts">
        <div><dt>Cost so far</dt><dd data-testid="block-cost">{usd(b().costUSD)}</dd></div>
        <div><dt>Burn rate</dt><dd data-testid="block-rate">{b().burnRate ? `${usd(b().burnRate!.costPerHour)}/h` : '—'}</dd></div>
        <div><dt>Tokens a minute</dt><dd data-testid="block-tpm">{b().burnRate ? count(Math.round(b().burnRate!.tokensPerMinute)) : '—'}</dd></div>
        <div><dt>Projected at end</dt><dd data-testid="block-projected">{b().projection ? usd(b().projection!.totalCost) : '—'}</dd></div>
        <div><dt>Time left</dt><dd data-testid="block-left">{minutes(left())}</dd></div>
      </dl>
    </div>
  );
}
