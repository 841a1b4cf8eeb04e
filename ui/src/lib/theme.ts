import { createSignal } from 'solid-js';

/** What the reader picked: follow the system, or always light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Scheme = 'light' | 'dark';

/** The localStorage key; ui/public/theme.js reads the same one before the first paint. */
export const THEME_KEY = 'arrakis-theme';

const isChoice = (v: unknown): v is ThemeChoice => v === 'system' || v === 'light' || v === 'dark';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return isChoice(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const [choice, setChoice] = createSignal<ThemeChoice>(stored());
const [systemDark, setSystemDark] = createSignal(media?.matches ?? false);
media?.addEventListener('change', (e) => setSystemDark(e.matches));

/** The choice as `<html data-theme>`: absent for system, so that the stylesheet's media query decides. */
function apply(c: ThemeChoice): void {
  const root = document.documentElement;
  if (c === 'system') delete root.dataset.theme;
  else root.dataset.theme = c;
}

// Another tab changed it: follow.
addEventListener('storage', (e) => {
  if (e.key !== THEME_KEY && e.key !== null) return;
  const c = stored();
  apply(c);
  setChoice(c);
});

export const themeChoice = choice;

/** The scheme in effect, light or dark, whether chosen or the system's. */
export const scheme = (): Scheme => {
  const c = choice();
  return c === 'system' ? (systemDark() ? 'dark' : 'light') : c;
};

export function setTheme(c: ThemeChoice): void {
  try {
    if (c === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, c);
  } catch {
    // Storage refused (private mode): the choice holds for this page only.
  }
  apply(c);
  setChoice(c);
}
