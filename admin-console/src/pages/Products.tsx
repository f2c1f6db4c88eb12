import { Anchor, Badge, Button, Checkbox, Group, Menu, Pagination, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type VisibilityState } from '@tanstack/react-table';
import { lazy, Suspense, useEffect, useMemo, useState, type ClipboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem, fmtTime, useCategories } from '../components/common';
import { useI18n } from '../i18n';
import { mapPaste, parseClipboard, PASTE_OPERATIONS, type PasteResult } from '../paste';
import { ALL_COLUMNS, columnsOf, FILTER_KEYS, viewStateOf } from '../productQuery';

export interface Item {
  itemId: string; categoryId: string; shopId: string; title: string; status: string; sourceType: string;
  tags: string[]; price: number | null; stock: number | null; updatedAt: number; createdAt: number;
}
// Loaded on the first selection / paste / render, so the landing chunk stays small.
const BulkActions = lazy(() => import('./BulkActions'));
const PasteBatch = lazy(() => import('./PasteBatch'));
const SavedViews = lazy(() => import('./SavedViews'));
const ExportButton = lazy(() => import('./ExportButton'));
interface SearchPage { items: Item[]; page: number; size: number; total: number; sort: string; nextCursor: string | null }

// Every filter lives in the URL so a view can be shared; the column choice too (and it is
// remembered in this browser for the next visit without one).
const FILTERS = [...FILTER_KEYS, 'sort'] as const;
const SORTS = ['updated_at:desc', 'updated_at:asc', 'created_at:desc', 'price:asc', 'price:desc', 'stock:asc', 'stock:desc', 'relevance:desc'];
const STATUSES = ['online', 'offline', 'draft', 'risk_control', 'removed'];

const col = createColumnHelper<Item>();

export function ProductsPage() {
  const { t } = useI18n();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const categories = useCategories();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const size = Number(params.get('size') ?? '50') || 50;
  const cols: string[] = columnsOf(params, localStorage.getItem('products.cols'));
  const viewState = viewStateOf(params, localStorage.getItem('products.cols'));
  const [q, setQ] = useState(params.get('q') ?? '');
  useEffect(() => setQ(params.get('q') ?? ''), [params]);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k); else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const query = new URLSearchParams();
  for (const f of FILTERS) { const v = params.get(f); if (v) query.set(f, v); }
  query.set('page', String(page - 1));
  query.set('size', String(size));
  const search = useQuery({
    queryKey: ['search', query.toString()],
    queryFn: () => api<SearchPage>(`/search/search/items?${query}`),
    placeholderData: keepPreviousData,
  });

  // Counts per status and category for the same filters (status left out, so each count says
  // what choosing that status would list).
  const facetQuery = new URLSearchParams(query);
  for (const k of ['page', 'size', 'sort', 'status']) facetQuery.delete(k);
  const facets = useQuery({
    queryKey: ['facets', facetQuery.toString()],
    queryFn: () => api<{ total: number; statuses: { key: string; count: number }[] }>(`/search/search/facets?${facetQuery}`),
    placeholderData: keepPreviousData,
  });

  const catName = useMemo(() => new Map((categories.data ?? []).map((c) => [c.value, c.label.trim()])), [categories.data]);
  // Bulk actions run as batches: for the roles with batch:run.
  const canBulk = hasRole(session, 'operator', 'merchant', 'risk_control', 'admin');
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const selectedIds = Object.keys(selected).filter((k) => selected[k]);
  const columns = useMemo(() => [
    ...(canBulk ? [col.display({
      id: 'select',
      header: ({ table: tb }) => <Checkbox aria-label="select all" checked={tb.getIsAllRowsSelected()}
        indeterminate={tb.getIsSomeRowsSelected()} onChange={tb.getToggleAllRowsSelectedHandler()} />,
      cell: ({ row }) => <Checkbox aria-label={`select ${row.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
    })] : []),
    col.accessor('itemId', { header: t('common.id'), cell: (c) => <Anchor component={Link} to={`/items/${c.getValue()}`}>{c.getValue()}</Anchor> }),
    col.accessor('title', { header: t('common.title') }),
    col.accessor('categoryId', { header: t('common.category'), cell: (c) => catName.get(String(c.getValue())) ?? c.getValue() }),
    col.accessor('shopId', { header: t('common.shop') }),
    col.accessor('status', { header: t('common.status') }),
    col.accessor('price', { header: t('common.price') }),
    col.accessor('stock', { header: t('common.stock'), cell: (c) => (c.getValue() === -1 ? '∞' : c.getValue()) }),
    col.accessor('sourceType', { header: t('common.source') }),
    col.accessor('tags', { header: t('common.tags'), cell: (c) => (c.getValue() ?? []).join(', ') }),
    col.accessor('updatedAt', { header: t('common.updated'), cell: (c) => fmtTime(c.getValue()) }),
  ], [t, catName, canBulk]);
  const visibility: VisibilityState = Object.fromEntries(ALL_COLUMNS.map((c) => [c, cols.includes(c)]));
  const table = useReactTable({
    data: search.data?.items ?? [], columns, getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.itemId),
    state: { columnVisibility: visibility, rowSelection: selected }, enableRowSelection: canBulk,
    onRowSelectionChange: (u) => setSelected((old) => (typeof u === 'function' ? u(old) : u)),
  });
  const toggleColumn = (c: string) => {
    const next = ALL_COLUMNS.filter((x) => (x === c ? !cols.includes(x) : cols.includes(x))).join(',');
    localStorage.setItem('products.cols', next);
    set({ cols: next, page: params.get('page') });
  };
  // Spreadsheet-style editing: a focused cell is where a paste's top left cell lands.
  const [anchor, setAnchor] = useState<{ row: number; column: string } | null>(null);
  // each paste a new panel (its own dry run), also over one still open
  const [paste, setPaste] = useState<{ result: PasteResult; n: number } | null>(null);
  const onPaste = (e: ClipboardEvent) => {
    if (!canBulk || !anchor) return;
    const text = e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    const result = mapPaste(parseClipboard(text), anchor, cols, search.data?.items ?? []);
    setPaste((old) => ({ result, n: (old?.n ?? 0) + 1 }));
  };
  const total = search.data?.total ?? 0;
  const pages = Math.max(1, Math.min(Math.ceil(total / size), Math.floor(10_000 / size)));

  return (
    <>
      <Title order={3} mb="sm">{t('nav.products')}</Title>
      <Group align="end" mb="sm" wrap="wrap">
        <form onSubmit={(e) => { e.preventDefault(); set({ q }); }}>
          <Group align="end" gap="xs">
            <TextInput label={t('products.query')} value={q} onChange={(e) => setQ(e.currentTarget.value)} name="q" />
            <Button type="submit">{t('common.search')}</Button>
          </Group>
        </form>
        <Select label={t('common.category')} data={categories.data ?? []} value={params.get('categoryId')} clearable searchable
          placeholder={t('common.all')} onChange={(v) => set({ categoryId: v })} w={240} data-testid="filter-category" />
        <Select label={t('common.status')} data={STATUSES} value={params.get('status')} clearable placeholder={t('common.all')}
          onChange={(v) => set({ status: v })} w={140} data-testid="filter-status" />
        {!session.merchantId && (
          <TextInput label={t('common.shop')} defaultValue={params.get('shopId') ?? ''} w={110} key={params.get('shopId') ?? ''}
            onBlur={(e) => set({ shopId: e.currentTarget.value.trim() })} />
        )}
        <TextInput label={t('products.priceMin')} defaultValue={params.get('priceMin') ?? ''} w={90} key={`min${params.get('priceMin')}`}
          onBlur={(e) => set({ priceMin: e.currentTarget.value.trim() })} />
        <TextInput label={t('products.priceMax')} defaultValue={params.get('priceMax') ?? ''} w={90} key={`max${params.get('priceMax')}`}
          onBlur={(e) => set({ priceMax: e.currentTarget.value.trim() })} />
        <Select label={t('products.sort')} data={SORTS} value={params.get('sort')} clearable onChange={(v) => set({ sort: v })} w={160} />
        <Menu closeOnItemClick={false}>
          <Menu.Target><Button variant="default">{t('products.columns')}</Button></Menu.Target>
          <Menu.Dropdown>
            {ALL_COLUMNS.map((c) => (
              <Menu.Item key={c} onClick={() => toggleColumn(c)}>
                <Checkbox label={c} checked={cols.includes(c)} readOnly aria-label={`column ${c}`} />
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Suspense fallback={null}><ExportButton state={viewState} selectedIds={selectedIds} /></Suspense>
      </Group>
      <Suspense fallback={null}><SavedViews state={viewState} params={params} setParams={setParams} /></Suspense>
      <Problem error={search.error} />
      <Group gap="xs" mb="xs">
        <Text size="sm" c="dimmed" data-testid="total">{total} {t('common.total')}</Text>
        {(facets.data?.statuses ?? []).map((f) => (
          <Badge key={f.key} variant={params.get('status') === f.key ? 'filled' : 'light'} style={{ cursor: 'pointer' }}
            onClick={() => set({ status: params.get('status') === f.key ? null : f.key })}>{f.key} {f.count}</Badge>
        ))}
      </Group>
      {selectedIds.length > 0 && (
        <Suspense fallback={null}><BulkActions itemIds={selectedIds} onDone={() => setSelected({})} /></Suspense>
      )}
      {paste && <Suspense fallback={null}><PasteBatch key={paste.n} paste={paste.result} onClose={() => setPaste(null)} /></Suspense>}
      {canBulk && <Text size="xs" c="dimmed" mb={4}>{t('paste.hint')}</Text>}
      <div onPaste={onPaste}>
      <Table striped highlightOnHover data-testid="products-table">
        <Table.Thead>
          {table.getHeaderGroups().map((g) => (
            <Table.Tr key={g.id}>{g.headers.map((h) => <Table.Th key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</Table.Th>)}</Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((r) => (
            <Table.Tr key={r.id} data-item-id={r.id}>
              {r.getVisibleCells().map((c) => {
                const cell = c.column.id === 'select' || !canBulk ? {} : {
                  tabIndex: 0,
                  onFocus: () => setAnchor({ row: r.index, column: c.column.id }),
                  'data-anchor': anchor?.row === r.index && anchor.column === c.column.id ? 'true' : undefined,
                  style: anchor?.row === r.index && anchor.column === c.column.id
                    ? { outline: '2px solid var(--mantine-color-blue-filled)', outlineOffset: -2 }
                    : c.column.id in PASTE_OPERATIONS ? { cursor: 'cell' } : undefined,
                };
                return <Table.Td key={c.id} data-col={c.column.id} {...cell}>{flexRender(c.column.columnDef.cell, c.getContext())}</Table.Td>;
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      </div>
      <Group mt="sm">
        <Pagination total={pages} value={page} onChange={(p) => set({ page: String(p) })} />
        <Select data={['20', '50', '100']} value={String(size)} w={90} aria-label={t('products.size')}
          onChange={(v) => set({ size: v })} />
      </Group>
    </>
  );
}
