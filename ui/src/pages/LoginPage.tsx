import { createSignal, Show } from 'solid-js';
import { login } from '../lib/http.js';

/** The read key, traded once for an HttpOnly cookie: the key itself is never stored by the page. */
export function LoginPage(props: { onLogin: () => void }) {
  const [key, setKey] = createSignal('');
  const [problem, setProblem] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await login(key().trim());
      setKey('');
      props.onLogin();
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card login">
      <h2>Sign in</h2>
      <p class="muted">
        Paste the read key (or the admin key) that <code>npx arrakis start</code> printed; it is also in <code>.arrakis/keys.json</code>.
      </p>
      <form onSubmit={submit}>
        <label for="key">Key</label>
        <input id="key" name="key" type="password" autocomplete="current-password" value={key()} onInput={(e) => setKey(e.currentTarget.value)} required />
        <button type="submit" disabled={busy() || key().trim() === ''}>Sign in</button>
      </form>
      <Show when={problem()}>{(message) => <p class="problem" role="alert">{message()}</p>}</Show>
    </section>
  );
}
