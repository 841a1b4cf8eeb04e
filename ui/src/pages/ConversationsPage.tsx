/** Placeholder until this page is built. */
export function ConversationsPage(_props: { params: Record<string, string> }) {
  return <section class="card"><h2>ConversationsPage</h2></section>;
}
