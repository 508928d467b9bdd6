import { api, query, stream } from './api.js';
import { bytes, cursorPager, duration, el, facts, fill, guarded, initPage, number, offsetPager, param, showError, table, time } from './ui.js';

initPage();

const tenant = param('tenant');
const base = '/tenants/' + encodeURIComponent(tenant ?? '') + '/agent-state';

async function loadLog() {
  const [t, s] = await Promise.all([api('/tenants/' + encodeURIComponent(tenant)), api(base)]);
  document.title = 'Sealsync console — Agent state of ' + t.name;
  fill('agent-state-title', 'Agent state of ', t.name);
  document.getElementById('back-to-tenant').setAttribute('href', 'tenant.html?id=' + t.tenant_id);
  fill('back-to-tenant', '← Tenant ' + t.name);
  const h = s.head;
  fill(
    'log',
    facts([
      ['Head sequence', el('span', { id: 'head-seq' }, h ? String(h.sequence_number) : 'empty log')],
      ['Head root', el('code', { id: 'head-root', class: 'wrap' }, h ? h.merkle_root : '—')],
      ['Last write', el('span', { id: 'last-write' }, h ? time(h.last_write_at) : '—')],
      ['Time since last block', el('span', { id: 'since-last-block' }, duration(s.seconds_since_last_block))],
      ['Blocks', el('span', { id: 'log-blocks' }, number(s.blocks))],
      ['Stored bytes', el('span', { id: 'log-bytes' }, bytes(s.bytes))],
      ['Agents with snapshots', number(s.agents)],
      ['Snapshots', number(s.snapshots)],
    ]),
  );
}

async function loadAgents(offset = 0) {
  const page = await api(base + '/agents' + query({ limit: 25, offset }));
  fill(
    'agents',
    table(
      'Agents by id',
      [
        {
          label: 'Agent',
          value: (a) =>
            el('button', { type: 'button', class: 'secondary', onclick: () => guarded(null, () => loadLineage(a.agent_id, [])) }, a.agent_id),
        },
        { label: 'Snapshots', value: (a) => number(a.snapshots), num: true },
        { label: 'Confirmed', value: (a) => number(a.confirmed), num: true },
        { label: 'Pending', value: (a) => number(a.pending), num: true },
        { label: 'Failed', value: (a) => number(a.failed), num: true },
        { label: 'Latest confirmed sequence', value: (a) => (a.latest_sequence ?? '—'), num: true },
        { label: 'Latest activity', value: (a) => time(a.latest_at) },
        { label: 'Bytes', value: (a) => bytes(a.bytes), num: true },
      ],
      page.items,
      'No agent of this tenant has stored a snapshot.',
    ),
    page.total > page.limit ? offsetPager(page, (o) => guarded(null, () => loadAgents(o)), 'agents') : null,
  );
}

async function loadLineage(agentId, cursors, before) {
  const page = await api(base + '/lineage' + query({ agent_id: agentId, limit: 25, before }));
  fill(
    'lineage',
    el('p', {}, 'Agent ', el('code', {}, agentId), ', newest sequence first.'),
    table(
      'Snapshots of the agent',
      [
        { label: 'Sequence', value: (s) => String(s.sequence_number), num: true },
        { label: 'Status', value: (s) => el('span', { class: s.status === 'confirmed' ? 'ok' : s.status === 'failed' ? 'bad' : 'warn' }, s.status) },
        { label: 'Snapshot id', value: (s) => el('code', {}, s.id) },
        { label: 'Parent', value: (s) => el('code', { class: 'wrap' }, s.parent_snapshot ?? '—') },
        { label: 'Bytes', value: (s) => number(s.byte_size), num: true },
        { label: 'Created', value: (s) => time(s.created_at) },
        { label: 'Confirmed', value: (s) => time(s.confirmed_at) },
      ],
      page.items,
    ),
    cursorPager(
      cursors.length > 0,
      page.next_before,
      () => guarded(null, () => loadLineage(agentId, [])),
      (n) => guarded(null, () => loadLineage(agentId, [...cursors, before], n)),
      'lineage',
    ),
  );
}

document.getElementById('verify').addEventListener('click', async (ev) => {
  const progress = document.getElementById('verify-progress');
  const result = document.getElementById('verify-result');
  progress.textContent = 'Verifying…';
  result.replaceChildren();
  await guarded(ev.currentTarget, () =>
    stream(base + '/verify', (line) => {
      if (line.type === 'progress') {
        progress.textContent = `${number(line.blocks_checked)} blocks checked…`;
      } else if (line.type === 'result') {
        progress.textContent = `${number(line.blocks_checked)} blocks checked.`;
        if (line.result === 'intact') {
          fill(result, el('span', { class: 'result-intact' }, 'Intact'), `: all ${number(line.blocks_checked)} blocks (${bytes(line.bytes_checked)}) match their hashes and the chain.`);
        } else {
          fill(
            result,
            el('span', { class: 'result-broken' }, 'Broken at sequence ', el('span', { id: 'broken-sequence' }, String(line.sequence))),
            ': ' + line.reason + '.',
          );
        }
      } else if (line.type === 'error') {
        progress.textContent = '';
        showError(new Error(line.message));
      }
    }),
  );
});

if (!tenant) {
  showError(new Error('No tenant given: open the agent state from a tenant.'));
} else {
  guarded(null, async () => {
    await loadLog();
    await loadAgents(0);
  });
}
