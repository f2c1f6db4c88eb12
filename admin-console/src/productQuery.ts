// The products page's state as the URL holds it (so a view can be shared), and the same state
// as a saved view (search-service /views) and an export (search-service /exports) take it.

/** The product search's filters (GET /search/search/items query parameters), sort apart. */
export const FILTER_KEYS = ['q', 'categoryId', 'status', 'sourceType', 'shopId', 'priceMin', 'priceMax'] as const;
export const ALL_COLUMNS = ['itemId', 'title', 'categoryId', 'shopId', 'status', 'price', 'stock', 'sourceType', 'tags', 'updatedAt'] as const;
export const DEFAULT_COLUMNS = ['itemId', 'title', 'categoryId', 'shopId', 'status', 'price', 'stock', 'updatedAt'];

export type Filter = Partial<Record<(typeof FILTER_KEYS)[number], string>>;
export interface ViewState { filter: Filter; columns: string[]; sort: string | null }

/** The columns shown: the URL's, else the ones this browser last chose, else the defaults; in grid order. */
export function columnsOf(params: URLSearchParams, remembered: string | null): string[] {
  const cols = (params.get('cols') ?? remembered ?? DEFAULT_COLUMNS.join(',')).split(',');
  return ALL_COLUMNS.filter((c) => cols.includes(c));
}

/** The filter, columns and sort of the page's URL, as a view or an export takes them. */
export function viewStateOf(params: URLSearchParams, remembered: string | null): ViewState {
  const filter: Filter = {};
  for (const k of FILTER_KEYS) { const v = params.get(k); if (v) filter[k] = v; }
  return { filter, columns: columnsOf(params, remembered), sort: params.get('sort') || null };
}

/** The URL of a view: its filter, columns and sort replace the page's; page and size reset, the view named. */
export function paramsOfView(view: ViewState & { viewId?: string }, current: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const k of [...FILTER_KEYS, 'sort', 'cols', 'page', 'view']) next.delete(k);
  for (const k of FILTER_KEYS) {
    const v = view.filter?.[k];
    if (v !== undefined && v !== null && String(v) !== '') next.set(k, String(v));
  }
  if (view.sort) next.set('sort', view.sort);
  const cols = ALL_COLUMNS.filter((c) => (view.columns ?? []).includes(c));
  if (cols.length) next.set('cols', cols.join(','));
  if (view.viewId) next.set('view', view.viewId);
  return next;
}

/** Whether the page still shows what the view holds (else the view is "modified"). */
export function sameState(a: ViewState, b: ViewState): boolean {
  const norm = (f: Filter) => JSON.stringify(FILTER_KEYS.map((k) => (f?.[k] === undefined || f?.[k] === null ? '' : String(f[k]))));
  return norm(a.filter) === norm(b.filter) && (a.sort ?? null) === (b.sort ?? null)
    && ALL_COLUMNS.filter((c) => a.columns.includes(c)).join() === ALL_COLUMNS.filter((c) => (b.columns ?? []).includes(c)).join();
}

/** An export of exactly the page: its filter, or the selected rows when some are ticked, with the shown columns. */
export function exportRequest(state: ViewState, selectedIds: string[]) {
  return {
    filter: state.filter,
    ...(selectedIds.length ? { itemIds: selectedIds } : {}),
    columns: state.columns,
    ...(state.sort ? { sort: state.sort } : {}),
  };
}
