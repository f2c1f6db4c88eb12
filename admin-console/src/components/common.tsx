import { Alert, Loader } from '@mantine/core';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

export function Problem({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const e = error as ApiError;
  return (
    <Alert color="red" title={`${t('common.error')}${e.code ? ` ${e.code}` : ''}`} role="alert">
      {e.message}
    </Alert>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? <Loader size="sm" /> : null;
}

export interface Category { categoryId: string; categoryName: string; parentId: string; level: number; sortOrder: number; active: boolean }

export interface CategoryOption { value: string; label: string; leaf: boolean }

/** Indented options, children under their parents; at module level so react-query keeps its result between renders. */
function toOptions(cats: Category[]): CategoryOption[] {
  const byParent = new Map<string, Category[]>();
  for (const c of cats) {
    const p = String(c.parentId ?? '0');
    byParent.set(p, [...(byParent.get(p) ?? []), c]);
  }
  const out: CategoryOption[] = [];
  const walk = (parent: string, depth: number) => {
    for (const c of (byParent.get(parent) ?? []).sort((a, b) => a.sortOrder - b.sortOrder)) {
      const id = String(c.categoryId);
      out.push({ value: id, label: `${'\u00a0\u00a0'.repeat(depth)}${c.categoryName} (${id})`, leaf: !byParent.has(id) });
      walk(id, depth + 1);
    }
  };
  walk('0', 0);
  return out;
}

/** The category tree as indented select options (children under their parents). */
export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    staleTime: 60_000,
    queryFn: () => api<Category[]>('/config/categories'),
    select: toOptions,
  });
}

export const fmtTime = (v: unknown) => (v === null || v === undefined || v === '' ? '' : new Date(v as string | number).toLocaleString());
