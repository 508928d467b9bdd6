// Small DOM helpers shared by the console's pages. Text is always set as text, never as HTML.
import { contextRoot } from './api.js';

/** Creates an element: el('a', {href: 'x', class: 'y'}, 'text', child, ...). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      e.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      e.className = v;
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of the element with this id. */
export function fill(id, ...children) {
  const target = typeof id === 'string' ? document.getElementById(id) : id;
  target.replaceChildren();
  append(target, children);
  return target;
}

/** The console's pages, in the order of the navigation: [href, section, label]. */
const PAGES = [
  ['./', 'overview', 'Overview'],
  ['tenants.html', 'tenants', 'Tenants'],
  ['rowsync.html', 'rowsync', 'Row sync'],
  ['audit.html', 'audit', 'Audit'],
  ['api.html', 'api', 'API reference'],
];

/**
 * The shell every console page shares: skip link, header with navigation and sign-out, and the
 * message area, put before the page's own <main>. A page's HTML holds only its head and its main.
 */
export function initPage() {
  const main = document.querySelector('main');
  const nav = el(
    'nav',
    { 'aria-label': 'Console pages' },
    PAGES.map(([href, section, label]) => el('a', { href, 'data-section': section }, label)),
  );
  document.body.prepend(
    el('a', { class: 'skip', href: '#' + (main ? main.id : '') }, 'Skip to content'),
    el(
      'header',
      { class: 'top' },
      el('span', { class: 'brand' }, 'Sealsync console'),
      nav,
      el('a', { id: 'sign-out', href: contextRoot + '/console/logout' }, 'Sign out'),
    ),
    el('div', { id: 'messages', 'aria-live': 'polite' }),
  );
  const here = location.pathname.split('/').pop() || 'index.html';
  for (const a of nav.querySelectorAll('a')) {
    const target = a.getAttribute('href').split('/').pop() || 'index.html';
    if (target === here || a.dataset.section === document.body.dataset.section) {
      a.setAttribute('aria-current', 'page');
    }
  }
}

/** Shows an API error (or any error) as a message the operator can dismiss. */
export function showError(err) {
  const text = err && err.message ? err.message : String(err);
  const code = err && err.code ? ' [' + err.code + ']' : '';
  const box = el(
    'div',
    { class: 'message error', role: 'alert' },
    el('strong', {}, 'Error: '),
    text + code,
    el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Dismiss'),
  );
  document.getElementById('messages').append(box);
  console.error(err);
}

export function showInfo(text) {
  const box = el(
    'div',
    { class: 'message info', role: 'status' },
    text,
    el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Dismiss'),
  );
  document.getElementById('messages').append(box);
}

export function clearMessages() {
  document.getElementById('messages').replaceChildren();
}

/** Runs an async action, showing its error as a message; disables the button meanwhile. */
export async function guarded(button, action) {
  if (button) {
    button.disabled = true;
  }
  try {
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

/**
 * A table: columns are {label, value: row => text or Node, num: bool}; an empty list shows
 * emptyText.
 */
export function table(caption, columns, rows, emptyText = 'None.') {
  if (!rows || rows.length === 0) {
    return el('p', { class: 'muted' }, emptyText);
  }
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    el(
      'tbody',
      {},
      rows.map((r) => el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : c.cls || null }, c.value(r))))),
    ),
  );
}

/** Definition list of [label, value] pairs. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '—')]));
}

/** Offset pager: "41–60 of 123" with Previous/Next buttons. */
export function offsetPager(page, go, idPrefix) {
  const first = page.items.length ? page.offset + 1 : 0;
  const last = page.offset + page.items.length;
  return el(
    'div',
    { class: 'pager' },
    el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: idPrefix + '-prev',
        disabled: page.offset === 0,
        onclick: () => go(Math.max(0, page.offset - page.limit)),
      },
      '← Previous',
    ),
    el('span', {}, `${first}–${last} of ${page.total}`),
    el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: idPrefix + '-next',
        disabled: page.next === null || page.next === undefined,
        onclick: () => go(page.next),
      },
      'Next →',
    ),
  );
}

/** Cursor pager for newest-first lists: "Newest" and "Older" buttons. */
export function cursorPager(hasNewer, next, goNewest, goOlder, idPrefix) {
  return el(
    'div',
    { class: 'pager' },
    el('button', { type: 'button', class: 'secondary', id: idPrefix + '-newest', disabled: !hasNewer, onclick: goNewest }, '⇤ Newest'),
    el(
      'button',
      { type: 'button', class: 'secondary', id: idPrefix + '-older', disabled: next === null || next === undefined, onclick: () => goOlder(next) },
      'Older →',
    ),
  );
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

export function time(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return el('time', { datetime: iso, title: iso }, d.toLocaleString());
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (d) parts.push(d + ' d');
  if (h) parts.push(h + ' h');
  if (m) parts.push(m + ' min');
  parts.push((s % 60) + ' s');
  return parts.slice(0, 3).join(' ');
}

export function bytes(n) {
  if (n === null || n === undefined) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(1)) + ' ' + units[i] + (i ? ` (${n.toLocaleString('en')} B)` : '');
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en');
}

/** Credits as whole cents and thousandths: "12.345". */
export function credits(c, milli) {
  return `${Number(c).toLocaleString('en')}.${String(milli).padStart(3, '0')}`;
}

export function creditsOfMilli(totalMilli) {
  const sign = totalMilli < 0 ? '-' : '';
  const v = Math.abs(totalMilli);
  return sign + credits(Math.floor(v / 1000), v % 1000);
}

export function status(s) {
  return el('span', { class: s === 'UP' ? 'status-up' : 'status-down' }, s);
}

export function link(href, text, attrs = {}) {
  return el('a', { href, ...attrs }, text);
}
