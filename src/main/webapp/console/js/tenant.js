import { api, query } from './api.js';
import {

  credits,
  creditsOfMilli,
  cursorPager,
  el,
  facts,
  fill,
  guarded,
  initPage,
  param,
  showError,
  showInfo,
  table,
  time,
} from './ui.js';
import { lineChart } from './chart.js';

initPage();

const id = param('id');
const base = '/tenants/' + encodeURIComponent(id ?? '');
const LEDGER_PAGE = 20;

async function loadAccount() {
  const t = await api(base);
  document.title = 'Sealsync console — Tenant ' + t.name;
  fill('tenant-title', 'Tenant ', el('span', { id: 'tenant-name' }, t.name));
  fill(
    'account',
    facts([
      ['Tenant id', el('span', { id: 'tenant-id' }, String(t.tenant_id))],
      ['Account id', String(t.account_id)],
      ['Balance (cents)', el('strong', { id: 'balance' }, credits(t.credits, t.credits_milli))],
      ['Created', time(t.created_at)],
    ]),
  );
  document.getElementById('agent-state-link').setAttribute('href', 'agent-state.html?tenant=' + t.tenant_id);
}

function keyState(k) {
  if (k.revoked_at) {
    return el('span', { class: 'bad' }, 'revoked');
  }
  if (k.expires_at && new Date(k.expires_at) <= new Date()) {
    return el('span', { class: 'warn' }, 'expired');
  }
  return el('span', { class: 'ok' }, 'live');
}

async function loadKeys() {
  const keys = await api(base + '/keys');
  fill(
    'keys',
    table(
      'Keys of this tenant (only a prefix of each key is kept)',
      [
        { label: 'Id', value: (k) => String(k.id), num: true },
        { label: 'Name', value: (k) => k.name },
        { label: 'Prefix', value: (k) => el('code', {}, k.key_prefix + '…') },
        { label: 'Scopes', value: (k) => k.scopes.join(', ') },
        { label: 'State', value: (k) => el('span', { id: 'key-state-' + k.id }, keyState(k)) },
        { label: 'Created', value: (k) => time(k.created_at) },
        { label: 'Last use', value: (k) => time(k.last_used_at) },
        { label: 'Expires', value: (k) => (k.expires_at ? time(k.expires_at) : 'never') },
        { label: 'Revoked', value: (k) => time(k.revoked_at) },
        {
          label: 'Action',
          value: (k) =>
            k.revoked_at
              ? ''
              : el(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    id: 'revoke-' + k.id,
                    'aria-label': `Revoke key ${k.id} (${k.name})`,
                    onclick: (ev) => revoke(ev.currentTarget, k),
                  },
                  'Revoke',
                ),
        },
      ],
      keys,
      'No keys issued yet.',
    ),
  );
}

async function revoke(button, k) {
  if (!confirm(`Revoke key ${k.id} (${k.name}, ${k.key_prefix}…)? Clients using it stop working at once.`)) {
    return;
  }
  const done = await guarded(button, () => api(`${base}/keys/${k.id}/revoke`, { method: 'POST' }));
  if (done) {
    showInfo(`Key ${k.id} revoked.`);
    await loadKeys();
  }
}

const ledgerCursors = [];

async function loadLedger(before) {
  const rows = await api(base + '/ledger' + query({ limit: LEDGER_PAGE, before }));
  const next = rows.length === LEDGER_PAGE ? rows[rows.length - 1].id : null;
  fill(
    'ledger',
    table(
      'Ledger entries, newest first (amounts in cents)',
      [
        { label: 'Entry', value: (e) => String(e.id), num: true },
        { label: 'Time', value: (e) => time(e.created_at) },
        { label: 'Reason', value: (e) => e.reason },
        { label: 'Change', value: (e) => (e.delta_milli > 0 ? '+' : '') + creditsOfMilli(e.delta_milli), num: true },
        { label: 'Balance after', value: (e) => credits(e.credits_after, e.credits_milli_after), num: true },
        { label: 'Request', value: (e) => el('code', { class: 'wrap' }, e.request_id) },
      ],
      rows,
      'No ledger entries yet.',
    ),
    cursorPager(
      ledgerCursors.length > 0,
      next,
      () => {
        ledgerCursors.length = 0;
        guarded(null, () => loadLedger(undefined));
      },
      (n) => {
        ledgerCursors.push(before);
        guarded(null, () => loadLedger(n));
      },
      'ledger',
    ),
  );
}

async function loadBalanceChart() {
  const points = await api(base + '/balance-history' + query({ limit: 500 }));
  lineChart(document.getElementById('balance-chart'), {
    title: 'Balance in cents after each ledger entry',
    times: points.map((p) => p.at),
    series: points.length ? [{ name: 'balance (cents)', values: points.map((p) => p.balance_milli / 1000) }] : [],
    format: (t) => new Date(t).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
  });
}

async function reloadMoney() {
  await Promise.all([loadAccount(), loadLedger(undefined), loadBalanceChart()]);
  ledgerCursors.length = 0;
}

document.getElementById('credits-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = document.getElementById('credits-cents');
  const cents = Number(input.value);
  const done = await guarded(document.getElementById('add-credits'), () =>
    api(base + '/credits', { method: 'POST', body: { cents } }),
  );
  if (done) {
    input.value = '';
    showInfo(`${cents} cents added.`);
    await guarded(null, reloadMoney);
  }
});

document.getElementById('key-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const scopes = [];
  if (document.getElementById('scope-read').checked) scopes.push('read');
  if (document.getElementById('scope-write').checked) scopes.push('write');
  const expires = document.getElementById('key-expires').value;
  const body = { name: document.getElementById('key-name').value.trim(), scopes };
  if (expires) {
    body.expires_at = new Date(expires).toISOString();
  }
  const issued = await guarded(document.getElementById('issue-key'), () =>
    api(base + '/keys', { method: 'POST', body }),
  );
  if (issued) {
    showIssued(issued);
    await guarded(null, loadKeys);
  }
});

/** The raw key, shown once: it is kept nowhere, and goes away when dismissed or on reload. */
function showIssued(k) {
  const value = el('code', { id: 'issued-key-value', class: 'wrap' }, k.key);
  const copied = el('span', { id: 'copy-status', 'aria-live': 'polite' });
  const box = el(
    'div',
    { class: 'secret', id: 'issued-key', role: 'region', 'aria-label': 'New key' },
    el('p', {}, el('strong', {}, `Key ${k.id} (${k.name}) issued. `), 'Copy it now: ', el('strong', { id: 'issued-key-warning' }, 'this is the only time it is shown; it cannot be retrieved later.')),
    el('p', {}, value),
    el(
      'p',
      {},
      el(
        'button',
        {
          type: 'button',
          id: 'copy-key',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(k.key);
              copied.textContent = ' Copied to the clipboard.';
            } catch {
              // No clipboard access (plain HTTP): select the key for Ctrl+C instead.
              const range = document.createRange();
              range.selectNodeContents(value);
              const sel = getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              copied.textContent = ' Selected: press Ctrl+C (⌘C) to copy.';
            }
          },
        },
        'Copy key',
      ),
      ' ',
      el('button', { type: 'button', class: 'secondary', id: 'hide-key', onclick: () => box.remove() }, 'I have stored it, hide the key'),
      copied,
    ),
  );
  fill('issued', box);
  document.getElementById('copy-key').focus();
}

if (!id) {
  showError(new Error('No tenant given: open a tenant from the list.'));
} else {
  if (param('created')) {
    showInfo('Tenant created.');
  }
  guarded(null, async () => {
    await loadAccount();
    await Promise.all([loadKeys(), loadLedger(undefined), loadBalanceChart()]);
  });
}

