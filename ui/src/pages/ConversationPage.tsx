/** Placeholder until this page is built. */
export function ConversationPage(_props: { params: Record<string, string> }) {
  return <section class="card"><h2>ConversationPage</h2></section>;
}
