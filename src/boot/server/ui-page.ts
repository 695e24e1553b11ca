/**
 * The live view's page, script and style sheet, served by the boot server itself (nothing is
 * fetched from elsewhere). The HTML holds no data: the script builds every cell with `textContent`
 * from the `/ui/events` snapshots, so entry names, labels, addresses and user agents are shown as
 * text and never parsed as HTML, and the content security policy forbids inline scripts besides.
 */

/** Escapes text for HTML (the sign-in page's reason). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boot server: live view</title>
<link rel="stylesheet" href="/ui/app.css">
</head>`;

/** The page: empty until the first snapshot arrives. */
export const UI_PAGE = `${HEAD}
<body>
<header>
  <h1>Boot server: live view</h1>
  <p id="totals"></p>
  <p id="status" class="status">connecting…</p>
</header>
<main id="groups"></main>
<section id="refusals">
  <h2>Refusals <span id="refusal-summary" class="muted"></span></h2>
  <table>
    <thead><tr><th>Time (UTC)</th><th>Reason</th><th>Request</th><th>MAC</th><th>UUID</th><th>Source</th><th>User agent</th><th>Error</th></tr></thead>
    <tbody id="refusal-rows"></tbody>
  </table>
</section>
<script src="/ui/app.js"></script>
</body>
</html>
`;

/** The 401 page: why, and a form that signs in with a token (POSTed, so it never sits in a URL). */
export function signInPage(reason: string): string {
  return `${HEAD}
<body>
<header><h1>Boot server: live view</h1></header>
<main class="sign-in">
  <p class="reason">401: ${escapeHtml(reason)}</p>
  <form method="post" action="/ui/session">
    <label>Viewer token (or admin token) <input type="password" name="token" autocomplete="off" autofocus></label>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>
`;
}

/** The browser side: plain DOM, no framework. */
export const UI_SCRIPT = String.raw`'use strict';
(() => {
  const STEPS = {
    off: 'not one-shot',
    armed: 'armed: installs on the Ignition fetch',
    installed: 'installed: next boot is local',
    booted_locally: 'booted from its disk',
  };
  const byId = (id) => document.getElementById(id);
  /** An element with a class and children; strings become text nodes, never HTML. */
  const el = (tag, cls, ...children) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    for (const c of children) if (c !== undefined && c !== null) n.append(c);
    return n;
  };
  const time = (iso) => (iso ? iso.slice(11, 19) : '');
  const cell = (field, text, title) => {
    const td = el('td', field, text || '–');
    td.dataset.field = field;
    if (title) td.title = title;
    return td;
  };

  function machineRow(entry, m, first, span) {
    const tr = el('tr', m.waiting ? 'waiting' : m.one_shot_state);
    tr.dataset.machine = m.key;
    tr.dataset.entry = entry.name;
    if (first) {
      const labels = el('div', 'labels');
      for (const [k, v] of Object.entries(entry.labels)) labels.append(el('span', 'label', k + '=' + v));
      const td = el('td', 'entry', el('div', 'name', entry.name), labels);
      td.rowSpan = span;
      tr.append(td);
    }
    const who = m.mac || m.uuid || m.key;
    const ipxe = m.first_ipxe_at ? time(m.first_ipxe_at) + (m.ipxe_fetches > 1 ? ' (' + m.ipxe_fetches + '×)' : '') : '';
    const ign = m.first_ignition_at
      ? time(m.first_ignition_at) + (m.ignition_fetches > 1 ? ' (' + m.ignition_fetches + '×)' : '')
      : '';
    const step = m.waiting ? 'no contact yet' : STEPS[m.one_shot_state] + (m.local_boots ? ' (' + m.local_boots + '×)' : '');
    const refused = m.refusals ? m.refusals + ' (' + (m.last_refusal || '') + ')' : '';
    tr.append(
      cell('machine', who),
      cell('source', m.source),
      cell('ipxe', ipxe, m.first_ipxe_at),
      cell('ignition', ign, m.first_ignition_at),
      cell('last-contact', time(m.last_seen_at), m.last_seen_at),
      cell('one-shot', step),
      cell('refusals', refused),
      cell('agent', m.user_agent),
    );
    return tr;
  }

  function group(g) {
    const section = el('section', 'group');
    section.dataset.role = g.role;
    section.append(el('h2', null, g.title + ' ', el('span', 'muted', '(' + g.entries.length + ')')));
    if (g.entries.length === 0) {
      section.append(el('p', 'muted', 'no entries'));
      return section;
    }
    const head = el('tr');
    for (const h of ['Entry', 'Machine', 'Source', 'First iPXE', 'Ignition', 'Last contact', 'One-shot', 'Refusals', 'User agent']) head.append(el('th', null, h));
    const body = el('tbody');
    for (const e of g.entries) {
      const rows = e.machines.length ? e.machines : [{ key: '', waiting: true, one_shot_state: e.one_shot ? 'armed' : 'off', refusals: 0 }];
      rows.forEach((m, i) => body.append(machineRow(e, m, i === 0, rows.length)));
    }
    section.append(el('table', null, el('thead', null, head), body));
    return section;
  }

  function render(view) {
    const machines = view.groups.flatMap((g) => g.entries.flatMap((e) => e.machines.filter((m) => !m.waiting)));
    const entries = view.groups.reduce((n, g) => n + g.entries.length, 0);
    const installed = machines.filter((m) => m.first_ignition_at).length;
    byId('totals').textContent = entries + ' entries · ' + machines.length + ' machines seen · ' + installed + ' fetched Ignition · ' + view.refusals.total + ' refusals';
    byId('groups').replaceChildren(...view.groups.map(group));
    byId('refusal-summary').textContent = Object.entries(view.refusals.by_reason).map(([r, n]) => r + ': ' + n).join(', ');
    byId('refusal-rows').replaceChildren(
      ...view.refusals.recent.map((r) => el('tr', null, cell('time', time(r.at), r.at), cell('reason', r.reason), cell('path', r.path),
        cell('mac', r.mac), cell('uuid', r.uuid), cell('source', r.source), cell('agent', r.user_agent), cell('error', r.error))),
    );
  }

  const status = byId('status');
  const events = new EventSource('/ui/events');
  events.addEventListener('snapshot', (e) => {
    render(JSON.parse(e.data));
    status.textContent = 'live · updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
    status.className = 'status live';
  });
  events.addEventListener('error', () => {
    const closed = events.readyState === EventSource.CLOSED;
    status.textContent = closed ? 'disconnected: reload the page to sign in again' : 'reconnecting…';
    status.className = 'status down';
  });
})();
`;

export const UI_CSS = `:root { color-scheme: light dark; --muted: #777; --line: #8884; --ok: #2a7; --warn: #c80; --bad: #c33; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
header { display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
header p { margin: 0; }
.muted { color: var(--muted); font-weight: normal; }
.status.live { color: var(--ok); }
.status.down { color: var(--bad); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.entry .name { font-weight: 600; }
/* One column grid for every role, so the groups line up. */
.group table { table-layout: fixed; }
.group td { overflow-wrap: anywhere; }
.group th:nth-child(1) { width: 13%; } .group th:nth-child(2) { width: 12%; } .group th:nth-child(3) { width: 8%; }
.group th:nth-child(4), .group th:nth-child(5) { width: 7%; } .group th:nth-child(6) { width: 8%; }
.group th:nth-child(7) { width: 17%; } .group th:nth-child(8) { width: 8%; } .group th:nth-child(9) { width: 20%; }
.label { display: inline-block; font-size: 12px; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; margin: .1rem .2rem 0 0; overflow-wrap: anywhere; }
td.machine, td.source, td.mac, td.uuid { font-family: ui-monospace, monospace; font-size: 13px; }
td.agent, td.error { color: var(--muted); overflow-wrap: anywhere; max-width: 28rem; }
tr.waiting td:not(.entry) { color: var(--muted); }
tr.armed td.one-shot { color: var(--warn); }
tr.installed td.one-shot, tr.booted_locally td.one-shot { color: var(--ok); }
#refusals td.reason { color: var(--bad); }
.sign-in .reason { color: var(--bad); font-weight: 600; }
.sign-in input { margin: 0 .5rem; }
`;
