import { api, query } from './api.js';
import { cursorPager, el, fill, guarded, initPage, table, time } from './ui.js';

initPage();

let filter = {};

async function load(cursors, before) {
  const page = await api('/audit' + query({ ...filter, limit: 50, before }));
  fill(
    'audit-list',
    table(
      'Operator actions, newest first',
      [
        { label: '#', value: (e) => String(e.id), num: true },
        { label: 'When', value: (e) => time(e.at) },
        { label: 'Operator', value: (e) => e.actor },
        { label: 'Action', value: (e) => el('code', {}, e.action) },
        { label: 'Target', value: (e) => e.target },
        { label: 'Outcome', value: (e) => el('span', { class: e.outcome === 'ok' ? 'ok' : 'bad' }, e.outcome) },
        { label: 'Details', value: (e) => e.detail || '—', cls: 'wrap' },
      ],
      page.items,
      'No recorded action matches.',
    ),
    cursorPager(
      cursors.length > 0,
      page.next_before,
      () => guarded(null, () => load([], undefined)),
      (n) => guarded(null, () => load([...cursors, before], n)),
      'audit',
    ),
  );
}

document.getElementById('audit-filter').addEventListener('submit', (ev) => {
  ev.preventDefault();
  filter = {
    actor: document.getElementById('f-actor').value.trim(),
    action: document.getElementById('f-action').value,
    target: document.getElementById('f-target').value.trim(),
    outcome: document.getElementById('f-outcome').value,
  };
  guarded(null, () => load([], undefined));
});

guarded(null, () => load([], undefined));
