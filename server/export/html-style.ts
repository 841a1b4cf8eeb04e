// Inlined into every HTML export: the file must read the same offline, with nothing to fetch.
export const STYLE = `
:root { color-scheme: light dark; --bg: #faf7f2; --surface: #fff; --text: #2b2520; --muted: #6f655c; --border: #e6ddd2; --accent: #b85c2a; --good: #2f7d4f; --bad: #b3261e; --code: #f3eee7; }
@media (prefers-color-scheme: dark) { :root { --bg: #17140f; --surface: #211d17; --text: #eee7dd; --muted: #a99e91; --border: #3a332a; --accent: #e9a23b; --good: #5cc88a; --bad: #f2857c; --code: #2a251e; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 2.25rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--border); color: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; font-size: .9rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.who { font-weight: 600; font-size: .85rem; color: var(--muted); margin: 1rem 0 .25rem; }
.prompt .text { background: var(--surface); border: 1px solid var(--border); border-left: 3px solid var(--accent); border-radius: 6px; padding: .6rem .8rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.md { overflow-wrap: anywhere; }
.md p { margin: .4rem 0; }
pre { background: var(--code); border: 1px solid var(--border); border-radius: 6px; padding: .5rem .7rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: .4rem 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
:not(pre) > code { background: var(--code); padding: 0 .25em; border-radius: 3px; }
details { margin: .4rem 0; }
summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
details.tool { background: var(--surface); border: 1px solid var(--border); border-radius: 6px; padding: .35rem .7rem; }
details.tool > summary { color: var(--text); }
details.tool[data-status="failed"] { border-left: 3px solid var(--bad); }
details.tool[data-status="ok"] { border-left: 3px solid var(--good); }
.status { color: var(--muted); font-size: .85em; }
.label { font-size: .8rem; color: var(--muted); margin-top: .5rem; }
pre.error { border-color: var(--bad); }
.marker { color: var(--muted); font-size: .85rem; font-style: italic; margin: .75rem 0; }
.run { border-left: 2px solid var(--border); padding-left: .75rem; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--border); padding: .2rem .5rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
`;
