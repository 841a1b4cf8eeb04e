import type { Totals } from './api.js';
import { count, usd } from './format.js';

/** What the range used and cost in all, and what cache reads saved against the input price. */
export function UsageTotals(props: { totals: Totals; since: string; until: string }) {
  const t = () => props.totals;
  const fact = (label: string, id: string, value: string, title?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={`total-${id}`} title={title}>{value}</dd>
    </div>
  );
  return (
    <section class="card usage-totals" aria-labelledby="usage-totals-title">
      <div class="card-head">
        <h2 id="usage-totals-title">Totals</h2>
        <span class="muted small">{props.since === props.until ? props.since : `${props.since} to ${props.until}`}</span>
      </div>
      <dl class="usage-facts">
        {fact('Cost', 'cost', usd(t().totalCost), `$${t().totalCost}`)}
        {fact('Cache savings', 'savings', usd(t().cacheSavingsUsd), 'What the cache reads would have cost at the input price, less what they did')}
        {fact('Input tokens', 'input', count(t().inputTokens))}
        {fact('Output tokens', 'output', count(t().outputTokens))}
        {fact('Cache writes', 'cache-creation', count(t().cacheCreationTokens), `${count(t().cacheCreation5mTokens)} for 5 minutes · ${count(t().cacheCreation1hTokens)} for 1 hour`)}
        {fact('Cache reads', 'cache-read', count(t().cacheReadTokens))}
        {fact('Total tokens', 'tokens', count(t().totalTokens))}
        {fact('Responses', 'responses', count(t().responses))}
      </dl>
    </section>
  );
}
