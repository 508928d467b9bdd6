import { api, query } from './api.js';
import { el, facts, fill, guarded, initPage, link, number, offsetPager, table, time } from './ui.js';

initPage();

let search = '';

async function loadSettings() {
  const s = await api('/rowsync');
  fill(
    'settings',
    facts([
      ['Retained bundles per user', number(s.retention.retained_bundles_per_user)],
      ['Prune batch size', number(s.retention.prune_batch_size)],
      ['Initialization lease', number(s.initialization_lease_seconds) + ' s'],
      ['Open push sessions', el('span', { id: 'open-push' }, number(s.open_push_sessions))],
      ['Open snapshot sessions', number(s.open_snapshot_sessions)],
    ]),
  );
  fill(
    'tables',
    table(
      'Tables synced to clients',
      [
        { label: 'Id', value: (t) => String(t.table_id), num: true },
        { label: 'Table', value: (t) => el('code', {}, t.schema + '.' + t.table) },
        { label: 'Key column', value: (t) => el('code', {}, t.key_column) },
        { label: 'Key kind', value: (t) => t.key_kind },
      ],
      s.registered_tables,
      'No registered tables (sealsync.rowsync.tables is empty).',
    ),
  );
}

async function loadUsers(offset = 0) {
  const page = await api('/rowsync/users' + query({ q: search, limit: 25, offset }));
  fill(
    'users',
    table(
      'Users, newest first',
      [
        { label: 'User', value: (u) => link('rowsync-user.html?user_id=' + encodeURIComponent(u.user_id), u.user_id) },
        { label: 'Scope', value: (u) => el('span', { class: u.scope_state === 'initialized' ? 'ok' : 'warn' }, u.scope_state) },
        { label: 'Latest bundle', value: (u) => String(u.latest_bundle_seq), num: true },
        { label: 'Retained floor', value: (u) => String(u.retained_floor), num: true },
        { label: 'Window', value: (u) => String(u.retained_window), num: true },
        { label: 'Sources (active / retired)', value: (u) => `${u.active_sources} / ${u.retired_sources}`, num: true },
        { label: 'Open push / snapshot', value: (u) => `${u.open_push_sessions} / ${u.open_snapshot_sessions}`, num: true },
        { label: 'Last bundle', value: (u) => time(u.last_bundle_at) },
      ],
      page.items,
      search ? 'No user matches.' : 'No row-sync users yet.',
    ),
    offsetPager(page, (o) => guarded(null, () => loadUsers(o)), 'users'),
  );
}

document.getElementById('user-search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  search = document.getElementById('user-search').value.trim();
  guarded(null, () => loadUsers(0));
});

guarded(null, loadSettings);
guarded(null, () => loadUsers(0));
