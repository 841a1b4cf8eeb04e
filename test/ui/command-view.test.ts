import { describe, expect, it } from 'vitest';
import { commandView } from '../../ui/src/conversation/command.js';

describe('commandView: what the user ran, without the transcript markup', () => {
  it('shows a `!` shell run as its command line', () => {
    expect(commandView('<bash-input>uv run ty check</bash-input>')).toEqual({ label: 'Shell', text: '$ uv run ty check' });
  });

  it('shows its output, stdout then stderr, without colour codes or trailing blank lines', () => {
    const raw = '<bash-stdout>\u001b[32mok\u001b[0m\n\n</bash-stdout><bash-stderr>warning: slow</bash-stderr>';
    expect(commandView(raw)).toEqual({ label: 'Shell output', text: 'ok\nwarning: slow' });
    expect(commandView('<bash-stdout></bash-stdout><bash-stderr></bash-stderr>')).toEqual({ label: 'Shell output', text: '(no output)' });
  });

  it('shows a slash command with its arguments, and its local output', () => {
    const raw = '<command-name>/review</command-name>\n<command-message>review</command-message>\n<command-args>src/app.ts</command-args>';
    expect(commandView(raw)).toEqual({ label: 'Slash command', text: '/review src/app.ts' });
    expect(commandView('<command-name>/clear</command-name><command-message>clear</command-message><command-args></command-args>').text).toBe('/clear');
    expect(commandView('<local-command-stdout>Set model to opus</local-command-stdout>')).toEqual({ label: 'Command output', text: 'Set model to opus' });
  });

  it('shows every part of a line that holds more than one, under the first one\'s label', () => {
    expect(commandView('<bash-input>ls</bash-input><bash-stdout>a.txt</bash-stdout>')).toEqual({ label: 'Shell', text: '$ ls\na.txt' });
    expect(commandView('<local-command-stdout>one</local-command-stdout><local-command-stdout>two</local-command-stdout>').text).toBe('one\ntwo');
  });

  it('keeps whatever else the line said, and unknown shapes as they came', () => {
    expect(commandView('<bash-input>ls</bash-input> <other-tag>kept</other-tag>').text).toBe('$ ls\n<other-tag>kept</other-tag>');
    expect(commandView('<command-contents>x</command-contents>')).toEqual({ label: 'Command', text: '<command-contents>x</command-contents>' });
  });

  it('leaves markup inside the output as text for the page to show as text', () => {
    expect(commandView('<bash-stdout><script>alert(1)</script></bash-stdout>').text).toBe('<script>alert(1)</script>');
  });
});
