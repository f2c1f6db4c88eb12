import { describe, expect, it } from 'vitest';
import { exportRequest, paramsOfView, sameState, viewStateOf } from '../src/productQuery';

describe('the products page state as a view and an export', () => {
  const url = new URLSearchParams('q=top-up&status=online&shopId=1001&sort=price:asc&cols=title,itemId,price&page=3&size=20');

  it('takes the filter, the shown columns (grid order) and the sort from the URL', () => {
    expect(viewStateOf(url, null)).toEqual({
      filter: { q: 'top-up', status: 'online', shopId: '1001' }, columns: ['itemId', 'title', 'price'], sort: 'price:asc',
    });
    expect(viewStateOf(new URLSearchParams(''), 'itemId,stock').columns).toEqual(['itemId', 'stock']);
  });

  it('puts a view back in the URL: its filter, columns and sort replace the page\'s, the page resets, the size stays', () => {
    const next = paramsOfView({ viewId: '121310230513618944', filter: { categoryId: '4100' }, columns: ['stock', 'itemId'], sort: null }, url);
    expect(Object.fromEntries(next)).toEqual({ size: '20', categoryId: '4100', cols: 'itemId,stock', view: '121310230513618944' });
  });

  it('tells a view the page still shows from one changed since', () => {
    const s = viewStateOf(url, null);
    expect(sameState(s, { filter: { shopId: '1001', q: 'top-up', status: 'online' }, columns: ['price', 'title', 'itemId'], sort: 'price:asc' })).toBe(true);
    expect(sameState(s, { ...s, sort: null })).toBe(false);
    expect(sameState(s, { ...s, columns: ['itemId'] })).toBe(false);
    expect(sameState(s, { ...s, filter: { q: 'top-up' } })).toBe(false);
  });

  it('exports the selection when rows are ticked, else the filter; always the shown columns', () => {
    const s = viewStateOf(url, null);
    expect(exportRequest(s, [])).toEqual({ filter: s.filter, columns: ['itemId', 'title', 'price'], sort: 'price:asc' });
    expect(exportRequest(s, ['121310230513618944'])).toEqual({ filter: s.filter, itemIds: ['121310230513618944'], columns: ['itemId', 'title', 'price'], sort: 'price:asc' });
  });
});
