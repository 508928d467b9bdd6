import { api, query } from './api.js';
import { credits, el, fill, guarded, initPage, link, number, offsetPager, table, time } from './ui.js';

initPage();

let search = '';

async function load(offset = 0) {
  await guarded(null, async () => {
    const page = await api('/tenants' + query({ q: search, limit: 25, offset }));
    fill(
      'tenant-list',
      table(
        'Account tenants, newest first',
        [
          { label: 'Tenant', value: (t) => link('tenant.html?id=' + t.tenant_id, String(t.tenant_id)), num: true },
          { label: 'Name', value: (t) => link('tenant.html?id=' + t.tenant_id, t.name) },
          { label: 'Balance', value: (t) => credits(t.credits, t.credits_milli), num: true },
          { label: 'Live keys', value: (t) => number(t.live_keys), num: true },
          { label: 'Last key use', value: (t) => time(t.last_key_use_at) },
          { label: 'Created', value: (t) => time(t.created_at) },
        ],
        page.items,
        search ? 'No tenant matches.' : 'No tenants yet.',
      ),
      offsetPager(page, load, 'tenants'),
    );
  });
}

document.getElementById('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  search = document.getElementById('tenant-search').value.trim();
  load(0);
});

document.getElementById('create-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const name = document.getElementById('new-tenant-name').value.trim();
  const created = await guarded(document.getElementById('create-tenant'), () =>
    api('/tenants', { method: 'POST', body: { name } }),
  );
  if (created) {
    location.href = 'tenant.html?id=' + created.tenant_id + '&created=1';
  }
});

load(0);
