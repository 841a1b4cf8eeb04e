import { setTheme, themeChoice, type ThemeChoice } from '../lib/theme.js';

const choices: Array<[ThemeChoice, string]> = [
  ['system', 'System'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/** System / Light / Dark, kept in localStorage. */
export function ThemeToggle() {
  return (
    <select class="theme-toggle" aria-label="Theme" title="Theme" value={themeChoice()} onChange={(e) => setTheme(e.currentTarget.value as ThemeChoice)} data-testid="theme-toggle">
      {choices.map(([value, label]) => (
        <option value={value} selected={themeChoice() === value}>
          {label}
        </option>
      ))}
    </select>
  );
}
