import { Anchor, Badge, Group, Pagination, Select, Table, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { Problem, fmtTime, useCategories } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf, Task } from './listingTypes';

const STATUS_CODES: Record<string, string> = { DRAFT: '0', PENDING_AUDIT: '10', APPROVED: '11', REJECTED: '12', ONLINE: '20', OFFLINE: '21', MAINTAIN: '22', OUT_OF_STOCK: '23' };

/** Listing tasks (a merchant's are its own shop's: the API scopes them). */
export default function ListingsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const categories = useCategories();
  const page = Number(params.get('page') ?? '1') || 1;
  const q = new URLSearchParams({ page: String(page - 1), size: '20' });
  for (const k of ['status', 'categoryId']) { const v = params.get(k); if (v) q.set(k, v); }
  const list = useQuery({ queryKey: ['listings', q.toString()], queryFn: () => api<PageOf<Task>>(`/listing/listings?${q}`), placeholderData: keepPreviousData });
  const set = (k: string, v: string | null) => { const n = new URLSearchParams(params); if (v) n.set(k, v); else n.delete(k); n.delete('page'); setParams(n); };
  return (
    <>
      <Title order={3} mb="sm">{t('nav.listings')}</Title>
      <Group mb="sm">
        <Select label={t('common.status')} clearable data={Object.entries(STATUS_CODES).map(([label, value]) => ({ label, value }))}
          value={params.get('status')} onChange={(v) => set('status', v)} />
        <Select label={t('common.category')} clearable searchable data={categories.data ?? []} value={params.get('categoryId')} onChange={(v) => set('categoryId', v)} />
      </Group>
      <Problem error={list.error} />
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('common.title')}</Table.Th><Table.Th>{t('common.category')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th>{t('common.shop')}</Table.Th><Table.Th>{t('common.updated')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((l) => (
            <Table.Tr key={l.taskId}>
              <Table.Td><Anchor component={Link} to={`/listings/${l.taskId}`}>{l.taskId}</Anchor></Table.Td>
              <Table.Td>{l.title}</Table.Td><Table.Td>{l.categoryId}</Table.Td><Table.Td><Badge variant="light">{l.statusName}</Badge></Table.Td>
              <Table.Td>{l.shopId}</Table.Td><Table.Td>{fmtTime(l.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pagination mt="sm" total={Math.max(1, Math.ceil((list.data?.total ?? 0) / 20))} value={page}
        onChange={(p) => { const n = new URLSearchParams(params); n.set('page', String(p)); setParams(n); }} />
    </>
  );
}
