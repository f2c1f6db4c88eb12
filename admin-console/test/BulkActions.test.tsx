import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../src/i18n';
import BulkActions from '../src/pages/BulkActions';

vi.mock('../src/auth', () => ({ accessToken: () => null, userManager: {} }));

const ITEM = '121310230513618944'; // above 2^53: must reach the sheet digit for digit
function service() {
  const uploads: FormData[] = [];
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => {
    uploads.push(init?.body as FormData);
    return new Response(JSON.stringify({ batch: { batchId: '9000000000000000001' } }), { status: 201, headers: { 'Content-Type': 'application/json' } });
  }));
  return uploads;
}
function renderActions(onDone: () => void) {
  render(
    <MantineProvider env="test">
      <I18nProvider initial="en">
        <MemoryRouter initialEntries={['/products']}>
          <Routes>
            <Route path="/products" element={<BulkActions itemIds={[ITEM, '7']} onDone={onDone} />} />
            <Route path="/batches/:id" element={<p data-testid="batch-page">batch</p>} />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </MantineProvider>,
  );
}
afterEach(() => vi.unstubAllGlobals());

describe('BulkActions', () => {
  it('removes tags from the selection as a tag_batch_remove batch whose sheet holds the ids as written', async () => {
    const uploads = service();
    const onDone = vi.fn();
    renderActions(onDone);
    await userEvent.click(screen.getByRole('textbox', { name: 'Bulk action' }));
    await userEvent.click(screen.getByRole('option', { name: 'Remove tags' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Tags' }), 'hot,new');
    await userEvent.click(screen.getByRole('button', { name: 'Create batch' }));
    await waitFor(() => expect(screen.getByTestId('batch-page')).toBeInTheDocument());
    expect(uploads).toHaveLength(1);
    const form = uploads[0];
    expect(form.get('operationType')).toBe('tag_batch_remove');
    expect(await (form.get('file') as File).text()).toBe(`item_id,tags\n${ITEM},"hot,new"\n7,"hot,new"\n`);
    expect(onDone).toHaveBeenCalledOnce();
  });

  it('offers no batch until tags are given', async () => {
    service();
    renderActions(() => {});
    await userEvent.click(screen.getByRole('textbox', { name: 'Bulk action' }));
    await userEvent.click(screen.getByRole('option', { name: 'Remove tags' }));
    expect(screen.getByRole('button', { name: 'Create batch' })).toBeDisabled();
  });
});
