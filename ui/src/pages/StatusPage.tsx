/** Placeholder until this page is built. */
export function StatusPage(_props: { params: Record<string, string> }) {
  return <section class="card"><h2>StatusPage</h2></section>;
}
