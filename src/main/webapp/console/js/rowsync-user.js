import { api, query } from './api.js';
import { bytes, cursorPager, el, facts, fill, guarded, initPage, number, param, showError, table, time } from './ui.js';

initPage();

const userId = param('user_id');

async function loadUser() {
  const d = await api('/rowsync/user' + query({ user_id: userId }));
  const u = d.user;
  document.title = 'Sealsync console — Row-sync user ' + u.user_id;
  fill('user-title', 'Row-sync user ', el('code', { id: 'user-id' }, u.user_id));
  fill(
    'summary',
    facts([
      ['Scope state', el('span', { id: 'scope-state' }, u.scope_state)],
      ['Initialized', time(u.initialized_at)],
      ['Initialized by source', u.initialized_by_source],
      ['Initialization lease expires', time(u.lease_expires_at)],
      ['Latest bundle sequence', el('span', { id: 'latest-bundle' }, String(u.latest_bundle_seq))],
      ['Retained floor', String(u.retained_floor)],
      ['Retained window', String(u.retained_window) + ' bundles'],
      ['Last bundle', time(u.last_bundle_at)],
    ]),
  );
  fill(
    'sources',
    table(
      'Sources of this user',
      [
        { label: 'Source', value: (s) => el('code', {}, s.source_id) },
        { label: 'State', value: (s) => el('span', { class: s.state === 'active' ? 'ok' : s.state === 'retired' ? 'bad' : 'warn' }, s.state) },
        { label: 'Last committed source bundle', value: (s) => String(s.max_committed_source_bundle_id), num: true },
        { label: 'Replaced by', value: (s) => (s.replaced_by ? el('code', {}, s.replaced_by) : '—') },
        { label: 'Retirement reason', value: (s) => s.retirement_reason || '—' },
      ],
      d.sources,
      'No sources.',
    ),
  );
  fill(
    'push-sessions',
    table(
      'Push sessions not yet expired',
      [
        { label: 'Push', value: (p) => el('code', {}, p.push_id) },
        { label: 'Source', value: (p) => el('code', {}, p.source_id) },
        { label: 'Source bundle', value: (p) => String(p.source_bundle_id), num: true },
        { label: 'Rows received / planned', value: (p) => `${p.next_row_ordinal} / ${p.planned_rows}`, num: true },
        { label: 'Expires', value: (p) => time(p.expires_at) },
      ],
      d.push_sessions,
      'None open.',
    ),
  );
  fill(
    'snapshot-sessions',
    table(
      'Snapshot sessions not yet expired',
      [
        { label: 'Snapshot', value: (s) => el('code', {}, s.snapshot_id) },
        { label: 'At bundle', value: (s) => String(s.snapshot_bundle_seq), num: true },
        { label: 'Rows', value: (s) => number(s.rows), num: true },
        { label: 'Bytes', value: (s) => bytes(s.bytes), num: true },
        { label: 'Expires', value: (s) => time(s.expires_at) },
      ],
      d.snapshot_sessions,
      'None open.',
    ),
  );
}

async function loadBundles(cursors, before) {
  const page = await api('/rowsync/user/bundles' + query({ user_id: userId, limit: 20, before }));
  fill(
    'bundles',
    table(
      'Retained bundles, newest first',
      [
        { label: 'Bundle', value: (b) => String(b.bundle_seq), num: true },
        { label: 'Source', value: (b) => el('code', {}, b.source_id) },
        { label: 'Source bundle', value: (b) => String(b.source_bundle_id), num: true },
        { label: 'Rows', value: (b) => number(b.row_count), num: true },
        { label: 'Bytes', value: (b) => number(b.byte_count), num: true },
        { label: 'Committed', value: (b) => time(b.committed_at) },
        {
          label: 'Rows',
          value: (b) =>
            el(
              'button',
              { type: 'button', class: 'secondary', id: 'show-rows-' + b.bundle_seq, onclick: () => guarded(null, () => loadRows(b.bundle_seq, [], undefined)) },
              'Show rows',
            ),
        },
      ],
      page.items,
      'No retained bundles.',
    ),
    cursorPager(
      cursors.length > 0,
      page.next_before,
      () => guarded(null, () => loadBundles([], undefined)),
      (n) => guarded(null, () => loadBundles([...cursors, before], n)),
      'bundles',
    ),
  );
}

async function loadRows(seq, cursors, after) {
  const page = await api('/rowsync/user/bundle-rows' + query({ user_id: userId, bundle_seq: seq, limit: 50, after }));
  fill(
    'bundle-rows',
    el('p', {}, 'Bundle ', el('strong', {}, String(seq)), ', in row order.'),
    table(
      'Rows of the bundle',
      [
        { label: '#', value: (r) => String(r.row_ordinal), num: true },
        { label: 'Table', value: (r) => el('code', {}, r.table) },
        { label: 'Key', value: (r) => el('code', {}, r.key) },
        { label: 'Operation', value: (r) => r.op },
        { label: 'Payload', value: (r) => (r.payload === null ? '—' : el('code', { class: 'wrap' }, JSON.stringify(r.payload))) },
      ],
      page.items,
      'No rows.',
    ),
    cursorPager(
      cursors.length > 0,
      page.next_after,
      () => guarded(null, () => loadRows(seq, [], undefined)),
      (n) => guarded(null, () => loadRows(seq, [...cursors, after], n)),
      'rows',
    ),
  );
}

if (!userId) {
  showError(new Error('No user given: open a user from the row-sync page.'));
} else {
  guarded(null, async () => {
    await loadUser();
    await loadBundles([], undefined);
  });
}
