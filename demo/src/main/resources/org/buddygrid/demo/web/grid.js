// BuddyGrid dashboard: polls /grid/api/state once a second and draws it. No build step.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const events = new Map(); // key -> event, merged over polls (and over nodes, when polls go round)
  let servedBy = null;
  let firstPoll = true;
  let failures = 0;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour12: false });
  }

  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.classList.add('show');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
  }

  async function control(action, node) {
    toast(action + ' ' + node + '\u2026');
    try {
      const r = await fetch('/grid/api/control?action=' + action + '&node=' + encodeURIComponent(node), {
        method: 'POST', headers: { 'X-BuddyGrid-Control': '1' }, credentials: 'same-origin',
      });
      const body = await r.json().catch(() => ({}));
      toast(r.ok ? (body.message || action + ' ' + node + ': done') : (body.error || 'HTTP ' + r.status));
    } catch (e) {
      toast('control request failed: ' + e);
    }
  }

  function renderStats(s, up, known) {
    $('stat-nodes').textContent = up + ' / ' + known;
    $('stat-sessions').textContent = s.totals.owned;
    $('stat-backups').textContent = s.totals.backups;
    $('stat-risk').textContent = s.totals.atRisk;
    $('stat-risk-box').classList.toggle('alert', s.totals.atRisk > 0);
    $('stat-rps').textContent = s.totals.requestsPerSecond.toFixed(1);
    const traffic = s.traffic.length ? s.traffic : [s.totals.requestsPerSecond];
    const max = Math.max(1, ...traffic);
    // Newest on the right; one sample a second, a minute at most.
    const pts = traffic.map((v, i) => (120 - (traffic.length - 1 - i) * 120 / 59).toFixed(1) + ',' + (29 - v * 27 / max).toFixed(1));
    const svg = $('spark');
    svg.innerHTML = '';
    if (pts.length > 1) {
      const area = document.createElementNS('http://www.w3.org/2000/svg', 'polygon');
      area.setAttribute('points', pts.join(' ') + ' 120,30 ' + pts[0].split(',')[0] + ',30');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('points', pts.join(' '));
      svg.append(area, line);
    }
  }

  function nodeList(s) {
    const byRoute = new Map();
    for (const m of s.members) byRoute.set(m.route, { member: m });
    for (const p of s.control.processes || []) {
      const n = byRoute.get(p.route) || {};
      n.process = p;
      byRoute.set(p.route, n);
    }
    return [...byRoute.entries()].sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true }));
  }

  function renderNodes(s) {
    const you = s.you && s.you.known ? s.you : null;
    const list = nodeList(s);
    const maxCount = Math.max(1, ...s.members.map((m) => Math.max(m.owned, m.backups)));
    const box = $('nodes');
    box.innerHTML = '';
    let up = 0;
    for (const [route, n] of list) {
      const m = n.member;
      const p = n.process;
      const isUp = m ? m.inView : p && p.state === 'up';
      if (isUp) up++;
      const card = el('article', 'node' + (isUp ? '' : ' down') + (route === s.servedBy ? ' self' : ''));
      card.dataset.route = route;
      card.dataset.state = isUp ? 'up' : (p ? p.state : 'down');
      const h = el('h3');
      h.append(el('span', 'dot'), el('span', null, route));
      card.append(h);
      const tags = m && m.host ? 'host ' + m.host + (m.zone ? ', zone ' + m.zone : '') : '';
      const proc = p ? (p.state + (p.pid ? ', pid ' + p.pid : '') + (p.exit !== null && p.exit !== undefined && p.state !== 'up' ? ', exit ' + p.exit : '')) : (isUp ? '' : 'left the grid');
      card.append(el('div', 'tags', [tags, proc].filter(Boolean).join(' \u00b7 ')));
      const badges = el('div', 'badges');
      if (route === s.servedBy) badges.append(el('span', 'badge served', 'serving this page'));
      if (you && you.owner === route) { badges.append(el('span', 'badge mine', 'owns your session')); card.classList.add('owner'); }
      if (you && you.backups.includes(route)) badges.append(el('span', 'badge mybackup', 'backs up your session'));
      card.append(badges);
      const counts = el('div', 'counts');
      for (const [cls, label, v] of [['owned', 'owned sessions', m && isUp ? m.owned : 0], ['backup', 'backup copies', m && isUp ? m.backups : 0]]) {
        const c = el('div', 'count ' + cls);
        c.append(el('div', 'n', String(v)), el('div', 'l', label));
        const bar = el('div', 'bar');
        const fill = el('div');
        fill.style.width = (100 * v / maxCount) + '%';
        bar.append(fill);
        c.append(bar);
        counts.append(c);
      }
      card.append(counts);
      const meta = el('div', 'meta');
      if (m && isUp) {
        meta.append(el('span', null, m.requestsPerSecond.toFixed(1) + ' req/s'));
        meta.append(el('span', null, 'took over ' + m.counters.takeovers + ', promoted ' + m.counters['recovery.promoted']));
        if (m.atRisk > 0) meta.append(el('span', 'risk', m.atRisk + ' at risk'));
      } else {
        meta.append(el('span', null, m ? 'last seen ' + clock(m.lastSeen) : 'not in the grid'));
      }
      card.append(meta);
      if (s.control.available) {
        const actions = el('div', 'actions');
        const buttons = isUp ? [['kill', 'kill -9'], ['stop', 'stop'], ['restart', 'restart']] : [['start', 'start']];
        for (const [action, label] of buttons) {
          const b = el('button', action, label);
          b.dataset.action = action;
          b.dataset.node = route;
          b.disabled = !p || p.state === 'starting' || p.state === 'stopping';
          b.addEventListener('click', () => control(action, route));
          actions.append(b);
        }
        card.append(actions);
      }
      box.append(card);
    }
    return [up, list.length];
  }

  function renderYou(s) {
    const body = $('you-body');
    if (!s.you) return;
    body.innerHTML = '';
    const dl = el('dl');
    const row = (k, v, id) => { const dd = el('dd', null, v); if (id) dd.id = id; dl.append(el('dt', null, k), dd); return dd; };
    const code = el('code', null, s.you.sessionId);
    dl.append(el('dt', null, 'session'));
    const dd = el('dd'); dd.append(code); dl.append(dd);
    if (s.you.known) {
      row('owner', s.you.owner, 'you-owner');
      row('backups', s.you.backups.join(', ') || 'none', 'you-backups');
      row('epoch', String(s.you.epoch) + ' (raised on every change of owner)');
      row('known by', s.servedBy + (s.you.source === 'owner' ? ' (it owns it)' : s.you.source === 'backup' ? ' (holds a copy)' : ' (a location hint)'));
    } else {
      row('owner', 'unknown to ' + s.servedBy + ' (expired, or nothing replicated yet)', 'you-owner');
    }
    body.append(dl);
    if (s.you.known && !s.you.ownerInView) {
      body.append(el('p', 'warn', 'Its owner ' + s.you.owner + ' is gone. Your next request is taken over by whichever node it reaches, unless a backup has promoted it already.'));
    }
  }

  // One event can come from several nodes (the dashboard's polls go round when you have no
  // session): the same key is the same event; a node's own detailed takeover replaces another
  // node's count of it.
  function merge(e) {
    if (events.has(e.key)) return;
    const detailed = e.text.startsWith('session ');
    for (const [k, o] of events) {
      if (o.kind === e.kind && o.node === e.node && Math.abs(o.time - e.time) < 3000 && e.kind !== 'takeover') return;
      if (o.kind === 'takeover' && e.kind === 'takeover' && o.node === e.node && Math.abs(o.time - e.time) < 3000) {
        const od = o.text.startsWith('session ');
        if (od && !detailed) return;
        if (!od && detailed) events.delete(k);
      }
    }
    events.set(e.key, Object.assign({ fresh: !firstPoll }, e));
  }

  function renderEvents(s) {
    for (const e of s.events) merge(e);
    const sorted = [...events.values()].sort((a, b) => b.time - a.time).slice(0, 40);
    if (events.size > 80) { events.clear(); sorted.forEach((e) => events.set(e.key, e)); }
    if (!sorted.length) return;
    const ol = $('events');
    ol.innerHTML = '';
    for (const e of sorted) {
      const li = el('li', e.fresh ? 'new' : '');
      li.dataset.kind = e.kind;
      const t = el('time', null, clock(e.time));
      li.append(t, el('span', 'kind ' + e.kind, e.kind), el('span', 'text', e.text));
      ol.append(li);
      e.fresh = false;
    }
  }

  function render(s) {
    const sb = $('served-by');
    sb.textContent = s.servedBy;
    if (servedBy && servedBy !== s.servedBy) { sb.classList.add('flash'); setTimeout(() => sb.classList.remove('flash'), 600); }
    servedBy = s.servedBy;
    $('config').innerHTML = '';
    [['cluster', s.cluster], ['mode', s.mode], ['timing', s.timing], ['backups', s.backupsPerSession]].forEach(([k, v], i) => {
      if (i) $('config').append(document.createTextNode('  \u00b7  '));
      const span = el('span', null, k + ' ');
      span.append(el('b', null, String(v)));
      $('config').append(span);
    });
    const [up, known] = renderNodes(s);
    renderStats(s, up, known);
    renderYou(s);
    renderEvents(s);
    $('hint').innerHTML = s.control.available
      ? 'Buttons act through the launcher. From a terminal: <code>./demo/buddygrid-demo kill node2</code>, <code>stop</code>, <code>restart</code>, <code>start</code>.'
      : 'This node was not started by the launcher: start the demo with <code>./demo/buddygrid-demo start</code> to get kill, stop and restart buttons.';
    firstPoll = false;
    failures = 0;
  }

  async function poll() {
    try {
      const r = await fetch('/grid/api/state', { cache: 'no-store', credentials: 'same-origin' });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      render(await r.json());
    } catch (e) {
      if (++failures > 1) $('served-by').textContent = 'no answer (' + e.message + ')';
    } finally {
      setTimeout(poll, 1000);
    }
  }

  poll();
})();
