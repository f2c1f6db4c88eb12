import { Anchor, Badge, Button, Group, Pagination, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, postJson } from '../api';
import { useSession } from '../auth';
import { Problem, fmtTime, useCategories } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

interface Review {
  reviewId: string; taskId: string; categoryId: string; sourceType: string; sourceUserType: string; title: string;
  status: string; claimedBy: string | null; submittedAt: string;
}

/** The auditors' manual review queue: filter, claim, approve, reject (a rejection needs a comment). */
const PAGE_SIZE = 50;

export default function ReviewsPage() {
  const { t } = useI18n();
  const session = useSession();
  const qc = useQueryClient();
  const categories = useCategories();
  const [params, setParams] = useSearchParams();
  // "open" (the default) is what still needs a decision: pending and claimed, oldest first, a page at a time.
  const status = params.get('status') ?? 'open';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const q = new URLSearchParams({ status, size: String(PAGE_SIZE), page: String(page - 1) });
  for (const k of ['taskId', 'categoryId', 'sourceType']) { const v = params.get(k); if (v) q.set(k, v); }
  const list = useQuery({
    queryKey: ['reviews', q.toString()],
    queryFn: () => api<PageOf<Review>>(`/audit/reviews?${q}`),
  });
  const total = Number(list.data?.total ?? 0);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'claim' | 'approve' | 'reject' }) =>
      postJson<Review>(`/audit/reviews/${id}/${action}`, action === 'claim' ? {} : { comment: comments[id] || null }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['reviews'] }),
  });
  const set = (k: string, v: string | null) => {
    const n = new URLSearchParams(params);
    if (v) n.set(k, v); else n.delete(k);
    if (k !== 'page') n.delete('page'); // a new filter starts on its first page
    setParams(n);
  };
  const [taskInput, setTaskInput] = useState(params.get('taskId') ?? '');
  return (
    <>
      <Title order={3} mb="sm">{t('nav.reviews')}</Title>
      <Group mb="sm">
        <Select label={t('common.status')} data={['open', 'pending', 'claimed', 'approved', 'rejected']} value={status} onChange={(v) => set('status', v)} />
        <Select label={t('common.category')} data={categories.data ?? []} clearable searchable value={params.get('categoryId')} onChange={(v) => set('categoryId', v)} />
        <TextInput label={t('reviews.taskId')} placeholder="121…" value={taskInput} data-testid="review-task-filter"
          onChange={(e) => { const v = e.currentTarget.value.replace(/\D/g, ''); setTaskInput(v); set('taskId', v || null); }} />
        <Select label={t('common.source')} data={['merchant_portal', 'merchant_app', 'operator_form', 'supplier_pull', 'supplier_push', 'batch_upload']} clearable value={params.get('sourceType')} onChange={(v) => set('sourceType', v)} />
      </Group>
      <Problem error={list.error ?? decide.error} />
      <Table striped data-testid="reviews-table">
        <Table.Thead><Table.Tr><Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('common.title')}</Table.Th><Table.Th>{t('common.category')}</Table.Th><Table.Th>{t('common.source')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th>{t('common.created')}</Table.Th><Table.Th>{t('common.comment')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((r) => {
            const id = String(r.reviewId);
            const mine = r.claimedBy !== null && String(r.claimedBy) === session.uid;
            return (
              <Table.Tr key={id} data-task-id={String(r.taskId)}>
                <Table.Td><Anchor component={Link} to={`/listings/${r.taskId}`}>{String(r.taskId)}</Anchor></Table.Td>
                <Table.Td>{r.title}</Table.Td><Table.Td>{r.categoryId}</Table.Td><Table.Td>{r.sourceType}/{r.sourceUserType}</Table.Td>
                <Table.Td><Badge variant="light">{r.status}</Badge>{r.claimedBy && <> {t('reviews.claimedBy')} {String(r.claimedBy)}</>}</Table.Td>
                <Table.Td>{fmtTime(r.submittedAt)}</Table.Td>
                <Table.Td>
                  <TextInput size="xs" aria-label={t('common.comment')} value={comments[id] ?? ''}
                    error={missing === id ? t('reviews.commentRequired') : undefined}
                    onChange={(e) => { const v = e.currentTarget.value; setComments((c) => ({ ...c, [id]: v })); }} />
                </Table.Td>
                <Table.Td>
                  {(r.status === 'pending' || r.status === 'claimed') && (
                    <Group gap={4} wrap="nowrap">
                      {!mine && <Button size="xs" variant="default" onClick={() => decide.mutate({ id, action: 'claim' })}>{t('reviews.claim')}</Button>}
                      <Button size="xs" color="green" onClick={() => decide.mutate({ id, action: 'approve' })}>{t('reviews.approve')}</Button>
                      <Button size="xs" color="red" onClick={() => {
                        if (!(comments[id] ?? '').trim()) { setMissing(id); return; }
                        setMissing(null);
                        decide.mutate({ id, action: 'reject' });
                      }}>{t('reviews.reject')}</Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group mt="sm" justify="space-between">
        <Text size="sm" c="dimmed" data-testid="reviews-total">{t('reviews.total')}: {total}</Text>
        {total > PAGE_SIZE && <Pagination total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={(p) => set('page', String(p))} />}
      </Group>
    </>
  );
}
