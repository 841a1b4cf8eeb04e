/** Placeholder until this page is built. */
export function HooksPage(_props: { params: Record<string, string> }) {
  return <section class="card"><h2>HooksPage</h2></section>;
}
