import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../src/i18n';
import SavedViews from '../src/pages/SavedViews';
import { viewStateOf } from '../src/productQuery';

vi.mock('../src/auth', () => ({ useSession: () => ({ uid: '77', roles: ['operator'], merchantId: null, name: 'operator-77' }), accessToken: () => null, userManager: {} }));

const MINE = '9000000000000000001'; // ids beyond 2^53, as strings
const TEAM = '9000000000000000002';
// search-service's answers, in the shape of its SavedView record (ids as strings, `mine`)
const views = () => ({
  items: [
    { viewId: MINE, name: 'Cheap top-ups', ownerId: '77', filter: { q: 'top', status: ['online'] }, columns: ['itemId', 'price'], sort: 'price:asc', shared: false, version: 1, mine: true },
    { viewId: TEAM, name: 'Team view', ownerId: '5', filter: { shopId: '1001' }, columns: ['itemId', 'title'], sort: null, shared: true, version: 3, mine: false },
  ],
  total: 2,
});

function service(putAnswers: { status: number; body: unknown }[] = []) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (method === 'GET') return json(views());
    if (method === 'POST') return json({ ...(calls.at(-1)!.body as object), viewId: '9000000000000000003', ownerId: '77', version: 1, mine: true }, 201);
    if (method === 'PUT') { const a = putAnswers.shift() ?? { status: 200, body: {} }; return json(a.body, a.status); }
    return new Response(null, { status: 204 });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

let url: URLSearchParams;
function Harness({ initial }: { initial: string }) {
  const [params, setParams] = useState(new URLSearchParams(initial));
  url = params;
  return <SavedViews state={viewStateOf(params, null)} params={params} setParams={setParams} />;
}
function renderViews(initial: string) {
  render(
    <MantineProvider env="test">
      <I18nProvider initial="en">
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <Harness initial={initial} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('SavedViews', () => {
  it('picking a view puts its filter, columns and sort in the URL', async () => {
    service();
    renderViews('q=other&size=20&page=3');
    await userEvent.click(await screen.findByRole('textbox', { name: 'Saved view' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Cheap top-ups' }));
    expect(Object.fromEntries(url)).toEqual({ size: '20', q: 'top', status: 'online', sort: 'price:asc', cols: 'itemId,price', view: MINE });
    // the owner's controls; the view is what the page shows, so nothing to update
    expect(screen.queryByTestId('view-modified')).toBeNull();
    expect(screen.getByRole('button', { name: 'Update view' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete view' })).toBeInTheDocument();
  });

  it('saves the page as a new view and names it in the URL', async () => {
    const calls = service();
    renderViews('status=online&sort=price:desc&cols=title,itemId');
    await userEvent.click(await screen.findByRole('button', { name: 'Save view…' }));
    await userEvent.type(screen.getByLabelText('View name'), 'Dear first');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Share' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(url.get('view')).toBe('9000000000000000003'));
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST', url: '/api/search/search/views',
      body: { name: 'Dear first', filter: { status: 'online' }, columns: ['itemId', 'title'], sort: 'price:desc', shared: true },
    });
  });

  it('updates a modified view with the version read, and shows a stale version', async () => {
    const calls = service([
      { status: 409, body: { code: 'STALE_VERSION', detail: `view ${MINE} is at version 2, not 1`, currentVersion: 2 } },
    ]);
    renderViews(`q=top&status=online&sort=price:desc&cols=itemId,price&view=${MINE}`);
    await screen.findByTestId('view-modified');
    await userEvent.click(screen.getByRole('button', { name: 'Update view' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('STALE_VERSION');
    expect(calls.find((c) => c.method === 'PUT')).toEqual({
      method: 'PUT', url: `/api/search/search/views/${MINE}`,
      body: { name: 'Cheap top-ups', filter: { q: 'top', status: 'online' }, columns: ['itemId', 'price'], sort: 'price:desc', shared: false, version: 1 },
    });
  });

  it('shares without taking the page\'s changes along', async () => {
    const calls = service();
    renderViews(`q=changed&cols=itemId&view=${MINE}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Share' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({
      name: 'Cheap top-ups', filter: { q: 'top', status: ['online'] }, columns: ['itemId', 'price'], sort: 'price:asc', shared: true, version: 1,
    });
  });

  it('offers nothing to change on someone else\'s shared view', async () => {
    service();
    renderViews(`shopId=1001&cols=itemId,title&view=${TEAM}`);
    await screen.findByDisplayValue(/Team view · shared · by 5/);
    expect(screen.queryByRole('button', { name: 'Update view' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete view' })).toBeNull();
  });
});
