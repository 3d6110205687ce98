// ConPaaS dashboard: plain JavaScript, no library. Every page derives from the kinds document
// (/api/session: roles, scale role, fixed roles, features, the spec's OpenAPI schema), so a kind added to
// the registry gets its pages without a change here. Live: server-sent events from the plugin's watches.
'use strict';
(() => {
  const S = { kinds: {}, kindList: [], ns: null, route: null, errors: {}, notes: {}, es: null, esNs: null,
    timer: null, confirming: null, loadSeq: 0 };
  const main = () => document.getElementById('main');

  // ---- DOM helpers: text is always set as text, never parsed as HTML ----
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'class') e.className = v;
      else if (k === 'for') e.htmlFor = v;
      else if (k === 'value') e.value = v;
      else if (k === 'checked') e.checked = !!v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  // Replaces a container's children, keeping what the user is typing in a field that is re-rendered.
  function replace(container, ...nodes) {
    if (!container) return;
    const a = document.activeElement;
    const keep = a && a.id && container.contains(a)
      ? { id: a.id, value: a.tagName === 'INPUT' && a.type !== 'file' && a.type !== 'checkbox' ? a.value : null } : null;
    const open = [...container.querySelectorAll('details[open]')].map(d => d.id).filter(Boolean);
    container.replaceChildren(...nodes.flat(Infinity).filter(n => n !== null && n !== undefined));
    for (const id of open) { const d = document.getElementById(id); if (d) d.open = true; }
    if (keep) {
      const n = document.getElementById(keep.id);
      if (n) { if (keep.value !== null) n.value = keep.value; n.focus(); } // a live update keeps the keyboard's place
    }
  }
  const get = (o, ...path) => path.reduce((x, k) => (x === null || x === undefined ? undefined : x[k]), o);
  const enc = encodeURIComponent;

  // ---- calls to the plugin; errors carry the API server's message ----
  async function call(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body instanceof Blob) {
      init.body = body; init.headers['Content-Type'] = 'application/octet-stream';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json';
    }
    let res;
    try { res = await fetch(path, init); } catch (e) { throw new Error('The dashboard server does not answer (is kubectl conpaas dashboard still running?).'); }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: use the text */ }
    if (!res.ok) throw new Error((json && json.error) || text || ('HTTP ' + res.status));
    return json;
  }

  // ---- error and success lines next to each action ----
  function errorLine(key) { return h('p', { class: 'error', id: 'err-' + key, role: 'alert' }, S.errors[key] || ''); }
  function noteLine(key) { return h('p', { class: 'ok', id: 'ok-' + key, role: 'status' }, S.notes[key] || ''); }
  function setLine(kind, key, text) {
    (kind === 'err' ? S.errors : S.notes)[key] = text;
    const e = document.getElementById(kind + '-' + key);
    if (e) e.textContent = text;
  }
  async function act(key, fn, button) {
    setLine('err', key, ''); setLine('ok', key, '');
    if (button) button.disabled = true;
    try {
      const r = await fn();
      setLine('ok', key, (r && r.message) || 'Done.');
      refreshSoon();
      return r;
    } catch (e) {
      setLine('err', key, e.message);
      return null;
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---- formatting ----
  function age(ts) {
    if (!ts) return '';
    const s = Math.max(0, (Date.now() - Date.parse(ts)) / 1000);
    if (s < 120) return Math.round(s) + 's';
    if (s < 7200) return Math.round(s / 60) + 'm';
    if (s < 172800) return Math.round(s / 3600) + 'h';
    return Math.round(s / 86400) + 'd';
  }
  function stateBadge(state) {
    return h('span', { class: 'state ' + (state || 'NONE') }, state || 'no status yet');
  }
  function link(url, text) {
    return /^https?:\/\//i.test(url || '')
      ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text || url) : h('code', {}, url || '');
  }
  function table(headers, rows, caption) {
    return h('div', { class: 'scroll' }, h('table', {},
      caption ? h('caption', { class: 'muted' }, caption) : null,
      h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows)));
  }
  function showCredits(c) {
    const e = document.getElementById('credits');
    e.className = 'credits' + (c && c.exhausted ? ' exhausted' : '');
    e.textContent = !c ? '' : c.used === null || c.used === undefined
      ? 'Credits: ' + c.credits + ' granted'
      : 'Credits: ' + c.used + ' used, ' + c.remaining + ' left of ' + c.credits + (c.exhausted ? ' (exhausted)' : '');
  }

  // ---- routing: #/ns/NS, #/ns/NS/svc/KIND/NAME, #/ns/NS/create/KIND ----
  function parseRoute() {
    const p = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    const r = { ns: S.ns, view: 'list' };
    if (p[0] === 'ns' && p[1]) {
      r.ns = p[1];
      if (p[2] === 'svc' && p[3] && p[4]) Object.assign(r, { view: 'service', kind: p[3], name: p[4] });
      else if (p[2] === 'create' && p[3]) Object.assign(r, { view: 'create', kind: p[3] });
    }
    return r;
  }
  const listHref = ns => '#/ns/' + enc(ns);
  const svcHref = (ns, kind, name) => '#/ns/' + enc(ns) + '/svc/' + enc(kind) + '/' + enc(name);
  const createHref = (ns, kind) => '#/ns/' + enc(ns) + '/create/' + enc(kind);

  function navigate() {
    const r = parseRoute();
    S.route = r;
    S.errors = {}; S.notes = {}; S.confirming = null;
    document.getElementById('ns-input').value = r.ns;
    listen(r.ns);
    if (r.view === 'service') serviceView(r);
    else if (r.view === 'create') createView(r);
    else listView(r);
    main().focus({ preventScroll: true });
  }

  // ---- live updates: the plugin watches; the page re-reads its view when something changed ----
  function listen(ns) {
    if (S.es && S.esNs === ns) return;
    if (S.es) S.es.close();
    const live = document.getElementById('live');
    live.textContent = 'connecting…';
    S.esNs = ns;
    S.es = new EventSource('/api/watch?ns=' + enc(ns));
    S.es.onmessage = ev => {
      let m = {};
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.hello) {
        live.textContent = m.notWatched && m.notWatched.length
          ? 'live (not allowed to watch: ' + m.notWatched.join(', ') + ')' : 'live';
        refreshSoon();
      } else if (m.changes) {
        refreshSoon();
      }
    };
    S.es.onerror = () => { live.textContent = 'reconnecting…'; };
  }
  function refreshSoon() {
    clearTimeout(S.timer);
    S.timer = setTimeout(() => {
      const r = S.route;
      if (!r) return;
      if (r.view === 'list') loadList(r);
      else if (r.view === 'service') loadService(r);
    }, 150);
  }

  // ---- the list: applications and their services ----
  function listView(r) {
    document.title = 'Services in ' + r.ns + ' — ConPaaS';
    const select = h('select', { id: 'new-kind' }, S.kindList.map(k => h('option', { value: k.kind }, k.kind)));
    replace(main(),
      h('h1', {}, 'Services in namespace ', h('code', {}, r.ns)),
      h('form', { class: 'actions', novalidate: true, onsubmit: ev => { ev.preventDefault(); location.hash = createHref(r.ns, select.value); } },
        h('label', { for: 'new-kind' }, 'New service of kind'), select, h('button', { type: 'submit', id: 'new-service' }, 'Create…')),
      h('div', { id: 'list-body', 'aria-live': 'polite' }, h('p', {}, 'Loading…')));
    loadList(r);
  }
  async function loadList(r) {
    const seq = ++S.loadSeq;
    let data;
    try {
      data = await call('GET', '/api/services?ns=' + enc(r.ns));
    } catch (e) {
      if (seq === S.loadSeq) replace(document.getElementById('list-body'), h('p', { class: 'error', role: 'alert' }, 'Cannot list services: ' + e.message));
      return;
    }
    if (seq !== S.loadSeq || S.route !== r) return;
    showCredits(data.credits);
    const apps = new Map();
    for (const s of data.items) {
      const app = s.application || '(no application)';
      if (!apps.has(app)) apps.set(app, []);
      apps.get(app).push(s);
    }
    const sections = [...apps.entries()].map(([app, items]) => h('section', { class: 'app' },
      h('h2', {}, 'Application ', app),
      table(['Service', 'Kind', 'State', 'Ready', 'Endpoint', 'Age'], items.map(s =>
        h('tr', { 'data-service': s.name, 'data-kind': s.kind },
          h('td', {}, h('a', { href: svcHref(r.ns, s.kind, s.name) }, s.name)),
          h('td', {}, s.kind),
          h('td', {}, stateBadge(s.state), s.deleting ? h('span', { class: 'muted' }, ' terminating') : null),
          h('td', { class: 'ready' }, s.roles.map(x => x.role + ' ' + x.ready + '/' + x.desired).join(', ')),
          h('td', {}, s.endpoint ? link(s.endpoint) : ''),
          h('td', {}, age(s.created)))))));
    replace(document.getElementById('list-body'),
      data.warnings.map(w => h('p', { class: 'warn', role: 'status' }, w)),
      data.items.length ? sections : h('p', {}, 'No services in this namespace yet.'));
  }

  // ---- one service ----
  function serviceView(r) {
    const k = S.kinds[r.kind];
    document.title = r.name + ' (' + r.kind + ') — ConPaaS';
    if (!k) {
      replace(main(), h('p', { class: 'error', role: 'alert' }, 'Unknown service kind ' + r.kind + '.'));
      return;
    }
    const has = f => k.features.includes(f);
    replace(main(),
      h('p', {}, h('a', { href: listHref(r.ns) }, '← All services in ' + r.ns)),
      h('div', { id: 'svc-head' }, h('h1', {}, r.kind + ' ' + r.name)),
      h('div', { id: 'svc-load' }),
      h('div', { id: 'svc-actions' }),
      h('section', { 'aria-labelledby': 'h-endpoints' }, h('h2', { id: 'h-endpoints' }, 'Endpoints'), h('div', { id: 'svc-endpoints' })),
      h('section', { 'aria-labelledby': 'h-roles' }, h('h2', { id: 'h-roles' }, 'Roles'), h('div', { id: 'svc-roles' })),
      h('section', { 'aria-labelledby': 'h-agents' }, h('h2', { id: 'h-agents' }, 'Instances'), h('div', { id: 'svc-agents' })),
      has('CODE') ? codeSection(r) : null,
      has('DATABASE') ? databaseSection(r) : null,
      h('section', { 'aria-labelledby': 'h-conditions' }, h('h2', { id: 'h-conditions' }, 'Conditions'), h('div', { id: 'svc-conditions' })),
      h('section', { 'aria-labelledby': 'h-events' }, h('h2', { id: 'h-events' }, 'Recent events'), h('div', { id: 'svc-events' })),
      h('div', { id: 'svc-spec' }));
    loadService(r);
  }

  async function loadService(r) {
    const seq = ++S.loadSeq;
    let d;
    try {
      d = await call('GET', '/api/service?ns=' + enc(r.ns) + '&kind=' + enc(r.kind) + '&name=' + enc(r.name));
    } catch (e) {
      if (seq === S.loadSeq) replace(document.getElementById('svc-load'), h('p', { class: 'error', role: 'alert' }, 'Cannot read this service: ' + e.message));
      return;
    }
    if (seq !== S.loadSeq || S.route !== r) return;
    replace(document.getElementById('svc-load'));
    const k = S.kinds[r.kind];
    const o = d.object, s = d.summary;
    showCredits(d.credits);
    replace(document.getElementById('svc-head'),
      h('h1', {}, r.kind + ' ', h('span', { id: 'svc-name' }, r.name), ' ', stateBadge(s.state)),
      h('p', { class: 'muted' }, 'Application ', h('strong', {}, s.application || '—'),
        ' · created ', age(s.created), ' ago', s.stopped ? ' · stopped' : '', s.deleting ? ' · terminating' : ''),
      get(o, 'status', 'message') ? h('p', { id: 'svc-message' }, get(o, 'status', 'message')) : null);
    renderActions(r, s);
    const eps = get(o, 'status', 'endpoints') || [];
    replace(document.getElementById('svc-endpoints'), eps.length
      ? h('ul', {}, eps.map(e => h('li', {}, (e.name ? e.name + ': ' : ''), link(e.url))))
      : h('p', { class: 'muted' }, 'None yet.'));
    renderRoles(r, k, s);
    renderAgents(d.agents);
    if (k.features.includes('CODE')) renderCode(r, o);
    if (k.features.includes('DATABASE')) renderDatabase(r, o, s);
    const conds = get(o, 'status', 'conditions') || [];
    replace(document.getElementById('svc-conditions'), conds.length
      ? table(['Type', 'Status', 'Reason', 'Message', 'Since'], conds.map(c => h('tr', {},
        h('td', {}, c.type), h('td', {}, c.status), h('td', {}, c.reason || ''), h('td', {}, c.message || ''),
        h('td', {}, age(c.lastTransitionTime)))))
      : h('p', { class: 'muted' }, 'None reported yet.'));
    replace(document.getElementById('svc-events'), d.events.length
      ? table(['When', 'Type', 'Reason', 'Object', 'Message'], d.events.map(e => h('tr', {},
        h('td', {}, age(e.time)), h('td', {}, e.type || ''), h('td', {}, e.reason || ''), h('td', {}, e.object || ''),
        h('td', {}, e.message || ''))))
      : h('p', { class: 'muted' }, 'No recent events.'));
    replace(document.getElementById('svc-spec'), h('details', { id: 'spec-details' }, h('summary', {}, 'Spec (as stored)'),
      h('pre', {}, JSON.stringify(o.spec || {}, null, 2))));
  }

  function renderActions(r, s) {
    const stopBtn = h('button', { type: 'button', id: s.stopped ? 'start' : 'stop' }, s.stopped ? 'Start' : 'Stop');
    stopBtn.addEventListener('click', () => act('stopped', () => call('POST', '/api/stopped',
      { ns: r.ns, kind: r.kind, name: r.name, stopped: !s.stopped }), stopBtn));
    const term = h('button', { type: 'button', class: 'danger', id: 'terminate', 'aria-expanded': String(S.confirming === 'terminate'),
      onclick: () => { S.confirming = 'terminate'; renderActions(r, s); const b = document.getElementById('terminate-confirm'); if (b) b.focus(); } }, 'Terminate…');
    const confirmBox = S.confirming !== 'terminate' ? null : h('div', { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text' },
      h('p', { id: 'confirm-text' }, 'Terminate ' + r.kind + ' ', h('strong', {}, r.name),
        '? Every agent (VM) of it is released and its configuration is deleted. This cannot be undone.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger primary', id: 'terminate-confirm', onclick: ev => {
          act('terminate', () => call('POST', '/api/terminate', { ns: r.ns, kind: r.kind, name: r.name, confirm: r.name }), ev.target)
            .then(x => { if (x) { S.confirming = null; renderActions(r, s); } });
        } }, 'Terminate ' + r.name),
        h('button', { type: 'button', id: 'terminate-cancel', onclick: () => { S.confirming = null; renderActions(r, s); document.getElementById('terminate').focus(); } }, 'Cancel')));
    replace(document.getElementById('svc-actions'),
      h('div', { class: 'actions' }, stopBtn, term), errorLine('stopped'), noteLine('stopped'),
      confirmBox, errorLine('terminate'), noteLine('terminate'));
  }

  function renderRoles(r, k, s) {
    const rows = s.roles.map(x => {
      const fixed = k.fixedRoles[x.role];
      const key = 'scale-' + x.role;
      let controls;
      if (fixed) {
        controls = h('span', { class: 'muted' }, 'fixed: ' + fixed);
      } else {
        const input = h('input', { type: 'number', id: 'nodes-' + x.role, min: 0, step: 1, value: String(x.nodes), 'aria-label': 'Nodes of role ' + x.role });
        const send = (n, btn) => act(key, () => call('POST', '/api/scale', { ns: r.ns, kind: r.kind, name: r.name, role: x.role, nodes: n }), btn);
        controls = h('div', {},
          h('form', { class: 'scale', novalidate: true, onsubmit: ev => { ev.preventDefault(); send(input.value, ev.submitter); } },
            h('button', { type: 'button', id: 'minus-' + x.role, 'aria-label': 'Remove one node of role ' + x.role,
              onclick: ev => send(x.nodes - 1, ev.currentTarget) }, '−'),
            input,
            h('button', { type: 'button', id: 'plus-' + x.role, 'aria-label': 'Add one node to role ' + x.role,
              onclick: ev => send(x.nodes + 1, ev.currentTarget) }, '+'),
            h('button', { type: 'submit', id: 'set-' + x.role }, 'Set')),
          errorLine(key), noteLine(key));
      }
      return h('tr', { 'data-role': x.role },
        h('th', { scope: 'row' }, x.role, x.role === k.scaleRole ? h('span', { class: 'muted' }, ' (scale role)') : null),
        h('td', { class: 'num' }, String(x.ready) + ' / ' + String(x.desired)),
        h('td', {}, controls));
    });
    replace(document.getElementById('svc-roles'), table(['Role', 'Ready / desired', 'Nodes'], rows));
  }

  function renderAgents(agents) {
    replace(document.getElementById('svc-agents'), agents.length
      ? table(['Agent', 'Role', 'Phase', 'Instance id', 'Public', 'Private', 'VPN', 'Cloud', 'Age'], agents.map(a =>
        h('tr', { 'data-agent': a.metadata.name },
          h('td', {}, a.metadata.name), h('td', {}, get(a, 'spec', 'role') || ''),
          h('td', { class: 'phase' }, get(a, 'status', 'phase') || 'Pending'),
          h('td', {}, get(a, 'status', 'instanceId') || ''),
          h('td', {}, get(a, 'status', 'addresses', 'public') || ''),
          h('td', {}, get(a, 'status', 'addresses', 'private') || ''),
          h('td', {}, get(a, 'status', 'addresses', 'vpn') || ''),
          h('td', {}, get(a, 'spec', 'cloud') || ''),
          h('td', {}, age(a.metadata.creationTimestamp)))))
      : h('p', { class: 'muted' }, 'No agents.'));
  }

  // ---- code versions (kinds with the CODE feature) ----
  function codeSection(r) {
    const file = h('input', { type: 'file', id: 'upload-file', accept: '.zip,.tar,.tgz,.tar.gz,.war' });
    const version = h('input', { id: 'upload-version', placeholder: 'next vN', size: 10, autocomplete: 'off' });
    const activate = h('input', { type: 'checkbox', id: 'upload-activate' });
    return h('section', { 'aria-labelledby': 'h-code' }, h('h2', { id: 'h-code' }, 'Code versions'),
      h('div', { id: 'svc-code' }),
      h('h3', {}, 'Upload a new version'),
      h('form', { class: 'actions', id: 'upload-form', novalidate: true, onsubmit: ev => {
        ev.preventDefault();
        if (!file.files.length) { setLine('err', 'upload', 'Choose an archive first.'); return; }
        const q = '/api/upload?ns=' + enc(r.ns) + '&kind=' + enc(r.kind) + '&name=' + enc(r.name)
          + '&version=' + enc(version.value.trim()) + '&activate=' + activate.checked;
        act('upload', () => call('PUT', q, file.files[0]), ev.submitter).then(x => { if (x) { file.value = ''; version.value = ''; } });
      } },
      h('label', { for: 'upload-file' }, 'Archive (zip, tar, tar.gz; war for Java)'), file,
      h('label', { for: 'upload-version' }, 'Version'), version,
      h('span', {}, activate, h('label', { for: 'upload-activate' }, ' activate after upload')),
      h('button', { type: 'submit', class: 'primary', id: 'upload-submit' }, 'Upload')),
      errorLine('upload'), noteLine('upload'));
  }
  function renderCode(r, o) {
    const versions = get(o, 'status', 'code', 'versions') || [];
    const active = get(o, 'status', 'code', 'active');
    const requested = get(o, 'spec', 'code', 'activeVersion');
    const idx = versions.findIndex(v => v.version === active);
    const previous = idx > 0 ? versions[idx - 1].version : null;
    const activateBtn = (v, label, id) => h('button', { type: 'button', id, onclick: ev => act('activate', () =>
      call('POST', '/api/activate', { ns: r.ns, kind: r.kind, name: r.name, version: v }), ev.currentTarget) }, label);
    replace(document.getElementById('svc-code'),
      h('p', {}, 'Active: ', h('strong', { id: 'code-active' }, active || 'none (default page)'),
        requested && requested !== active ? ' · requested: ' + requested : ''),
      get(o, 'status', 'code', 'message') ? h('p', { class: 'warn' }, get(o, 'status', 'code', 'message')) : null,
      versions.length ? table(['Version', 'Format', 'Bytes', 'Stored', 'Origin', ''], versions.map(v => h('tr', { 'data-version': v.version },
        h('td', {}, v.version), h('td', {}, v.format || ''), h('td', { class: 'num' }, v.bytes === undefined ? '' : String(v.bytes)),
        h('td', {}, age(v.uploaded)), h('td', {}, v.origin || ''),
        h('td', {}, v.version === active ? 'active' : activateBtn(v.version, 'Activate ' + v.version, 'activate-' + v.version)))))
        : h('p', { class: 'muted' }, 'No versions yet.'),
      previous ? h('div', { class: 'actions' }, activateBtn(previous, 'Roll back to ' + previous, 'rollback')) : null,
      errorLine('activate'), noteLine('activate'));
  }

  // ---- MySQL (kinds with the DATABASE feature): connect instructions, password reset ----
  function databaseSection(r) {
    const p1 = h('input', { type: 'password', id: 'password-new', autocomplete: 'new-password' });
    const p2 = h('input', { type: 'password', id: 'password-again', autocomplete: 'new-password' });
    return h('section', { 'aria-labelledby': 'h-db' }, h('h2', { id: 'h-db' }, 'Database'),
      h('div', { id: 'svc-db' }),
      h('h3', {}, 'Reset the password'),
      h('form', { class: 'actions', novalidate: true, onsubmit: ev => {
        ev.preventDefault();
        if (p1.value !== p2.value) { setLine('err', 'password', 'The two passwords differ.'); return; }
        act('password', () => call('POST', '/api/password', { ns: r.ns, kind: r.kind, name: r.name, password: p1.value }), ev.submitter)
          .then(x => { if (x) { p1.value = ''; p2.value = ''; } });
      } },
      h('label', { for: 'password-new' }, 'New password'), p1,
      h('label', { for: 'password-again' }, 'Again'), p2,
      h('button', { type: 'submit', id: 'password-submit' }, 'Reset password')),
      errorLine('password'), noteLine('password'));
  }
  function renderDatabase(r, o, s) {
    const user = get(o, 'status', 'mysql', 'user') || 'mysqladb';
    const secret = get(o, 'status', 'mysql', 'passwordSecret') || get(o, 'spec', 'passwordSecretRef', 'name') || r.name + '-mysql';
    let hostPart = null;
    if (s.endpoint) {
      const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(s.endpoint);
      if (m) hostPart = '-h ' + m[1].replace(/^\[|\]$/g, '') + (m[2] ? ' -P ' + m[2] : '');
    }
    replace(document.getElementById('svc-db'), hostPart
      ? [h('p', {}, 'Connect with:'), h('pre', {}, 'mysql ' + hostPart + ' -u ' + user + ' -p'),
        h('p', {}, 'The password (you need read access to Secret ' + secret + '):'),
        h('pre', {}, "kubectl get secret " + secret + " -n " + r.ns + " -o jsonpath='{.data.password}' | base64 -d")]
      : h('p', { class: 'muted' }, 'No endpoint yet: the master is not running.'));
  }

  // ---- create form, generated from the kind's OpenAPI schema; the API server validates ----
  function createView(r) {
    const k = S.kinds[r.kind];
    document.title = 'New ' + r.kind + ' — ConPaaS';
    if (!k) { replace(main(), h('p', { class: 'error', role: 'alert' }, 'Unknown service kind ' + r.kind + '.')); return; }
    const name = h('input', { id: 'f-name', autocomplete: 'off', spellcheck: 'false', 'aria-required': 'true' });
    const fields = k.specSchema ? schemaFields(k, k.specSchema, [])
      : [field('f-spec-json', 'spec (JSON)', 'This kind\'s schema is not in the plugin: write its spec as JSON.',
        h('textarea', { id: 'f-spec-json', rows: 8, cols: 60, 'data-path': '[]', 'data-type': 'json' }))];
    replace(main(),
      h('p', {}, h('a', { href: listHref(r.ns) }, '← All services in ' + r.ns)),
      h('h1', {}, 'New ' + r.kind + ' in ', h('code', {}, r.ns)),
      h('form', { id: 'create-form', novalidate: true, onsubmit: ev => { ev.preventDefault(); submitCreate(r, name, ev.submitter); } },
        field('f-name', 'Name', 'The service\'s name (lower case letters, digits and -).', name, true),
        h('fieldset', {}, h('legend', {}, 'spec'), fields),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, 'Create')),
        errorLine('create'), noteLine('create')));
  }
  function field(id, label, help, control, required) {
    const helpId = help ? id + '-help' : null;
    if (helpId) control.setAttribute('aria-describedby', helpId);
    return h('div', { class: 'field' }, h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      control, help ? h('span', { class: 'help', id: helpId }, help) : null);
  }
  function schemaFields(k, schema, path) {
    const required = schema.required || [];
    return Object.entries(schema.properties || {}).map(([prop, sub]) => {
      const p = path.concat(prop);
      const id = 'f-' + p.join('-');
      const label = p.join('.');
      const req = required.includes(prop);
      const help = sub.description || '';
      if (sub.type === 'object' && sub.properties) {
        return h('fieldset', { id: id }, h('legend', {}, label, req ? h('span', { class: 'req' }, ' *') : null),
          help ? h('p', { class: 'help muted' }, help) : null, schemaFields(k, sub, p));
      }
      const attrs = { id, 'data-path': JSON.stringify(p), 'aria-required': req ? 'true' : null };
      let control;
      if (sub.type === 'boolean') {
        control = h('input', Object.assign(attrs, { type: 'checkbox', 'data-type': 'boolean' }));
      } else if (sub.type === 'integer' || sub.type === 'number') {
        const initial = p.length === 2 && p[0] === k.scaleRole && prop === 'nodes' ? String(k.initialNodes) : null;
        control = h('input', Object.assign(attrs, { type: 'number', 'data-type': 'number', value: initial,
          min: sub.minimum, max: sub.maximum, placeholder: sub.default }));
      } else if (sub.type === 'string' && Array.isArray(sub.enum)) {
        control = h('select', Object.assign(attrs, { 'data-type': 'string' }), h('option', { value: '' }, '(unset)'),
          sub.enum.map(v => h('option', { value: v }, v)));
      } else if (sub.type === 'string') {
        control = h('input', Object.assign(attrs, { 'data-type': 'string', autocomplete: 'off', placeholder: sub.default }));
      } else {
        control = h('textarea', Object.assign(attrs, { 'data-type': 'json', rows: 3, cols: 50 }));
      }
      return field(id, label, help + (control.dataset.type === 'json' ? ' (JSON)' : ''), control, req);
    });
  }
  function submitCreate(r, name, button) {
    const spec = {};
    const form = document.getElementById('create-form');
    for (const c of form.querySelectorAll('[data-path]')) {
      const p = JSON.parse(c.dataset.path);
      let v;
      if (c.dataset.type === 'boolean') { if (!c.checked) continue; v = true; }
      else if (c.value.trim() === '') continue;
      else if (c.dataset.type === 'number') { v = Number(c.value); if (Number.isNaN(v)) v = c.value; }
      else if (c.dataset.type === 'json') {
        try { v = JSON.parse(c.value); } catch (e) { setLine('err', 'create', (p.join('.') || 'spec') + ' is not valid JSON: ' + e.message); c.focus(); return; }
      } else v = c.value;
      if (p.length === 0) { Object.assign(spec, v); continue; }
      let o = spec;
      for (const seg of p.slice(0, -1)) o = (o[seg] = o[seg] || {});
      o[p[p.length - 1]] = v;
    }
    act('create', () => call('POST', '/api/create', { ns: r.ns, kind: r.kind, name: name.value.trim(), spec }), button)
      .then(x => { if (x) location.hash = svcHref(r.ns, r.kind, name.value.trim()); });
  }

  // ---- start ----
  async function start() {
    let session;
    try {
      session = await call('GET', '/api/session');
    } catch (e) {
      replace(main(), h('p', { class: 'error', role: 'alert' }, 'Cannot start the dashboard: ' + e.message));
      return;
    }
    S.ns = session.namespace;
    S.kindList = session.kinds;
    for (const k of session.kinds) S.kinds[k.kind] = k;
    document.getElementById('ns-form').addEventListener('submit', ev => {
      ev.preventDefault();
      const v = document.getElementById('ns-input').value.trim();
      if (v) location.hash = listHref(v);
    });
    window.addEventListener('hashchange', navigate);
    navigate();
  }
  start();
})();
