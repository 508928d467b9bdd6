import { api } from './api.js';
import { bytes, duration, el, facts, fill, initPage, number, showError, status, table, time, clearMessages } from './ui.js';
import { lineChart } from './chart.js';

initPage();

const REFRESH_MS = 10000;
let timer = null;
let failing = false;

function checks(h) {
  return table(
    'Checks',
    [
      { label: 'Check', value: (c) => c.name },
      { label: 'Status', value: (c) => status(c.status) },
      {
        label: 'Data',
        value: (c) => Object.entries(c.data || {}).map(([k, v]) => el('div', {}, `${k}: ${v}`)),
      },
    ],
    h.checks,
  );
}

async function refresh() {
  try {
    const [o, m] = await Promise.all([api('/overview'), api('/metrics')]);
    if (failing) {
      clearMessages();
      failing = false;
    }
    fill(
      'health',
      facts([
        ['Liveness', el('span', { id: 'liveness-status' }, status(o.liveness.status))],
        ['Readiness', el('span', { id: 'readiness-status' }, status(o.readiness.status))],
      ]),
      checks(o.readiness),
    );
    fill(
      'server',
      facts([
        ['Version', el('span', { id: 'version' }, o.version)],
        ['Application server', o.server_info],
        ['Started', time(o.started_at)],
        ['Uptime', el('span', { id: 'uptime' }, duration(o.uptime_seconds))],
      ]),
    );
    fill(
      'database',
      facts([
        ['Reachable', o.database.reachable ? el('span', { class: 'ok' }, 'yes') : el('span', { class: 'bad' }, 'no')],
        ['Migrations applied', o.database.migrations_applied ? 'yes' : 'no'],
        ['Schema version', el('span', { id: 'schema-version' }, o.database.schema_version)],
        ['PostgreSQL', o.database.product],
      ]),
    );
    const rs = o.row_sync;
    fill(
      'rowsync',
      facts([
        ['Lifecycle', el('span', { id: 'rowsync-lifecycle', class: rs.lifecycle === 'running' ? 'ok' : 'warn' }, rs.lifecycle)],
        ['Accepting operations', rs.accepting_operations ? 'yes' : 'no'],
        ['In-flight operations', number(rs.inflight_operations)],
        ['Registered tables', number(rs.registered_tables)],
        [
          'Watch listener',
          el(
            'span',
            { id: 'watch-listener', class: rs.watch_listener.listening ? 'ok' : 'warn' },
            rs.watch_listener.listening ? 'listening' : rs.watch_listener.enabled ? 'reconnecting' : 'disabled',
          ),
        ],
        ['Channel', rs.watch_listener.channel],
        ['Watchers on this node', number(rs.watchers_on_this_node)],
      ]),
    );
    const t = o.totals;
    fill(
      'totals',
      t
        ? facts([
            ['Tenants (accounts)', el('span', { id: 'total-tenants' }, number(t.tenants))],
            ['Project tenants', number(t.project_tenants)],
            ['Live keys', number(t.live_keys)],
            ['Replication-log blocks', number(t.log_blocks)],
            ['Replication-log bytes', bytes(t.log_bytes)],
            ['Snapshots', number(t.snapshots)],
            ['Row-sync users', number(t.row_sync_users)],
            ['Bundles', number(t.bundles)],
            ['Open push sessions', number(t.open_push_sessions)],
            ['Open snapshot sessions', number(t.open_snapshot_sessions)],
            ['Watchers on this node', number(t.watchers_on_this_node)],
            ['Counted', time(t.counted_at)],
          ])
        : el('p', { class: 'bad' }, 'The database is unreachable.'),
    );
    lineChart(document.getElementById('chart-replicate'), {
      title: 'Replicate requests per minute',
      times: m.minutes,
      series: [{ name: 'replicate requests', values: m.series.replicate_requests }],
    });
    lineChart(document.getElementById('chart-pushed'), {
      title: 'Pushed bundles per minute',
      times: m.minutes,
      series: [{ name: 'pushed bundles', values: m.series.pushed_bundles }],
    });
    lineChart(document.getElementById('chart-pulled'), {
      title: 'Pulled rows per minute',
      times: m.minutes,
      series: [{ name: 'pulled rows', values: m.series.pulled_rows }],
    });
    lineChart(document.getElementById('chart-errors'), {
      title: 'Error responses per minute',
      times: m.minutes,
      series: Object.entries(m.errors).map(([code, values]) => ({ name: 'HTTP ' + code, values })),
    });
    fill('refreshed', 'Last refreshed ', time(new Date().toISOString()), '.');
  } catch (e) {
    if (!failing) {
      showError(e);
      failing = true;
    }
  }
}

function start() {
  timer = setInterval(refresh, REFRESH_MS);
}

document.getElementById('pause').addEventListener('click', (ev) => {
  if (timer) {
    clearInterval(timer);
    timer = null;
    ev.target.textContent = 'Resume live updates';
  } else {
    refresh();
    start();
    ev.target.textContent = 'Pause live updates';
  }
});

refresh();
start();
