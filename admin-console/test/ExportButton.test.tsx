import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../src/i18n';
import ExportButton from '../src/pages/ExportButton';
import { viewStateOf } from '../src/productQuery';

vi.mock('../src/auth', () => ({ accessToken: () => null, userManager: {} }));

const EXPORT = '9000000000000000007';
function service() {
  const calls: { method: string; url: string; body: unknown }[] = [];
  let polls = 0;
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (init?.method === 'POST') return json({ exportId: EXPORT, status: 'QUEUED', rows: 0 }, 202);
    polls++;
    return json({ exportId: EXPORT, status: polls > 1 ? 'DONE' : 'RUNNING', rows: polls > 1 ? 1 : 0 });
  }));
  return calls;
}
function renderButton(selected: string[]) {
  const state = viewStateOf(new URLSearchParams('q=top&shopId=1001&sort=price:asc&cols=itemId,title,price'), null);
  render(
    <MantineProvider env="test">
      <I18nProvider initial="en">
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ExportButton state={state} selectedIds={selected} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>,
  );
}
afterEach(() => vi.unstubAllGlobals());

describe('ExportButton', () => {
  it('exports the selection with the shown columns, follows the job to DONE and offers the file', async () => {
    const calls = service();
    renderButton(['121310230513618944']);
    await userEvent.click(screen.getByRole('button', { name: 'Export selection (1)' }));
    await waitFor(() => expect(screen.getByTestId('export')).toHaveAttribute('data-status', 'DONE'), { timeout: 10_000 });
    expect(calls[0]).toEqual({
      method: 'POST', url: '/api/search/search/exports',
      body: { filter: { q: 'top', shopId: '1001' }, itemIds: ['121310230513618944'], columns: ['itemId', 'title', 'price'], sort: 'price:asc' },
    });
    expect(calls[1].url).toBe(`/api/search/search/exports/${EXPORT}`);
    expect(screen.getByRole('button', { name: 'Download .xlsx' })).toBeInTheDocument();
    expect(screen.getByTestId('export-status')).toHaveTextContent('DONE · 1 rows');
  });

  it('exports the whole filter when nothing is selected', async () => {
    const calls = service();
    renderButton([]);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(calls.length).toBeGreaterThan(0));
    expect(calls[0].body).toEqual({ filter: { q: 'top', shopId: '1001' }, columns: ['itemId', 'title', 'price'], sort: 'price:asc' });
  });
});
