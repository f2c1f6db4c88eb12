import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../src/i18n';
import PasteBatch from '../src/pages/PasteBatch';
import { mapPaste, parseClipboard } from '../src/paste';

const A = '121310230513618944';
const rows = [{ itemId: A, title: 'Top-up 50', price: 48, stock: -1 }];

// batch-operation-service as the panel sees it: each upload a batch, finished at once, with the
// items its dry run (or run) recorded. Answers are recorded from the running service's shapes.
function batchService() {
  const uploads: { operationType: string; dryRun: string; force: string; csv: string }[] = [];
  const ops = new Map<string, string>();
  const items: Record<string, unknown[]> = {
    price_adjust: [{ rowNo: 2, targetId: A, status: 'succeeded', before: { skus: [{ sku_id: '1', sale_price_cents: 4800 }] },
      after: { field: 'sale_price', prices: [{ cents: 4550, sku_id: '1' }] }, errorCode: null, errorMessage: null }],
    inventory_update: [{ rowNo: 2, targetId: A, status: 'failed', before: { skus: [{ sku_id: '1', stock: -1 }] }, after: null,
      errorCode: 'INVALID_FIELD', errorMessage: `item ${A} has unlimited stock` }],
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/batch/batches' && init?.method === 'POST') {
      const form = init.body as FormData;
      const csv = await (form.get('file') as File).text();
      const operationType = String(form.get('operationType'));
      uploads.push({ operationType, dryRun: String(form.get('dryRun')), force: String(form.get('force')), csv });
      const batchId = String(9_000_000_000_000_000_000n + BigInt(uploads.length)); // beyond 2^53
      ops.set(batchId, operationType);
      return json({ batch: { batchId, operationType, status: 'processing' } }, 201);
    }
    const m = /^\/api\/batch\/batches\/(\d+)(\/items.*)?$/.exec(url);
    if (m && m[2]) return json({ items: items[ops.get(m[1])!], page: 0, size: 200, total: 1 });
    if (m) return json({ batchId: m[1], operationType: ops.get(m[1]), status: 'completed', progress: 100 });
    return json({ code: 'NOT_FOUND' }, 404);
  });
  return { fetch, uploads };
}

function renderPanel(text: string) {
  const paste = mapPaste(parseClipboard(text), { row: 0, column: 'price' }, ['itemId', 'title', 'price', 'stock'], rows);
  render(
    <MantineProvider env="test">
      <I18nProvider initial="en">
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter><PasteBatch paste={paste} onClose={() => {}} /></MemoryRouter>
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('PasteBatch', () => {
  it('dry-runs each column as a batch, shows before -> after with failing cells marked, and applies only what passed', async () => {
    const service = batchService();
    vi.stubGlobal('fetch', service.fetch);
    renderPanel('45.5\t7\n');
    const panel = await screen.findByTestId('paste-batch');
    await waitFor(() => expect(panel).toHaveAttribute('data-done', 'true'), { timeout: 10_000 });
    // (the two uploads go out together: compared in operation order)
    expect(service.uploads.map((u) => [u.operationType, u.dryRun, u.csv]).sort()).toEqual([
      ['inventory_update', 'true', `item_id,quantity\n${A},7\n`],
      ['price_adjust', 'true', `item_id,value\n${A},45.5\n`],
    ]);
    const price = panel.querySelector(`[data-cell="${A}/price"]`) as HTMLElement;
    expect(price).toHaveAttribute('data-outcome', 'ok');
    expect(within(price).getByTestId('before')).toHaveTextContent('48.00');
    expect(within(price).getByTestId('after')).toHaveTextContent('45.50');
    const stock = panel.querySelector(`[data-cell="${A}/stock"]`) as HTMLElement;
    expect(stock).toHaveAttribute('data-outcome', 'failed');
    expect(within(stock).getByTestId('cell-problem')).toHaveTextContent('INVALID_FIELD');
    // the batch links carry the ids digit for digit
    expect(screen.getAllByTestId('paste-batch-link').map((a) => a.getAttribute('href')).sort()).toEqual(['/batches/9000000000000000001', '/batches/9000000000000000002']);

    await userEvent.click(screen.getByRole('button', { name: 'Confirm and apply (1)' }));
    await waitFor(() => expect(panel).toHaveAttribute('data-phase', 'applied'));
    await waitFor(() => expect(panel).toHaveAttribute('data-done', 'true'), { timeout: 10_000 });
    // only the passing cell runs, for real, forced past the duplicate-file check of its own dry run
    expect(service.uploads.slice(2).map((u) => [u.operationType, u.dryRun, u.force, u.csv])).toEqual([
      ['price_adjust', 'false', 'true', `item_id,value\n${A},45.5\n`],
    ]);
    // the failing cell keeps its dry run's mark
    expect(panel.querySelector(`[data-cell="${A}/stock"]`)).toHaveAttribute('data-outcome', 'failed');
    expect(screen.getByRole('button', { name: 'Undo these changes' })).toBeInTheDocument();
  });

  it('sends nothing for cells refused before sending, and marks them', async () => {
    const service = batchService();
    vi.stubGlobal('fetch', service.fetch);
    renderPanel('abc\n');
    const panel = await screen.findByTestId('paste-batch');
    expect(panel.querySelector(`[data-cell="${A}/price"]`)).toHaveAttribute('data-outcome', 'failed');
    expect(within(panel).getByTestId('cell-problem')).toHaveTextContent('NOT_A_PRICE');
    expect(screen.getByText('No cell can be applied')).toBeInTheDocument();
    expect(service.fetch).not.toHaveBeenCalled();
  });
});
