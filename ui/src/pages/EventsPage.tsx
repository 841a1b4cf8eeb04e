/** Placeholder until this page is built. */
export function EventsPage(_props: { params: Record<string, string> }) {
  return <section class="card"><h2>EventsPage</h2></section>;
}
