import { describe, expect, it } from 'vitest';
import { treeOrder } from '../src/pages/Categories';
import { menuFor } from '../src/Layout';
import type { Session } from '../src/auth';

const cat = (categoryId: string, parentId: string, sortOrder: number) =>
  ({ categoryId, categoryCode: `C${categoryId}`, categoryName: `n${categoryId}`, parentId, level: 1, sortOrder, active: true, version: 0 });

describe('category tree order', () => {
  it('puts children under their parent, by sort order, with their depth; ids beyond 2^53 stay exact', () => {
    const big = '121467087156264960';
    const rows = treeOrder([cat('2', '0', 2), cat('21', '2', 1), cat(big, '1', 0), cat('1', '0', 1), cat('20', '2', 0)]);
    expect(rows.map((r) => [r.c.categoryId, r.depth])).toEqual([['1', 0], [big, 1], ['2', 0], ['20', 1], ['21', 1]]);
  });
});

describe('menus by role', () => {
  const session = (...roles: Session['roles']) => ({ name: 'x', roles, merchantId: null } as unknown as Session);
  it('shows configuration to readers, dead letters and suppliers only to their permission holders', () => {
    const labels = (s: Session) => menuFor(s).map((e) => e.label);
    expect(labels(session('admin'))).toEqual(expect.arrayContaining(['nav.categories', 'nav.auditMatrix', 'nav.deadLetters', 'nav.suppliers', 'nav.operations']));
    expect(labels(session('operator'))).toEqual(expect.arrayContaining(['nav.categories', 'nav.auditMatrix', 'nav.operations']));
    expect(labels(session('operator'))).not.toContain('nav.deadLetters');
    expect(labels(session('operator'))).not.toContain('nav.suppliers');
    expect(labels(session('merchant'))).not.toContain('nav.operations');
    expect(labels(session('supplier_admin'))).toEqual(expect.arrayContaining(['nav.suppliers', 'nav.categories']));
  });
});
