import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, postJson } from '../api';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

interface DeadLetter {
  id: string; topic: string; eventType: string | null; reason: string | null; cause: string | null;
  originalTopic: string | null; receivedAt: string; status: string;
}

/** maintenance-service's dead letters (admins: dead-letters permission): filter, replay, discard with a reason. */
export default function DeadLettersPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'new';
  const topic = params.get('topic') ?? '';
  const page = Number(params.get('page') ?? '0');
  const q = new URLSearchParams({ page: String(page), size: '50' });
  if (status) q.set('status', status);
  if (topic) q.set('topic', topic);
  const list = useQuery({ queryKey: ['dead-letters', q.toString()], queryFn: () => api<PageOf<DeadLetter>>(`/maintenance/dead-letters?${q}`) });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'replay' | 'discard' }) =>
      postJson(`/maintenance/dead-letters/${id}/${action}`, action === 'discard' ? { reason: reasons[id] ?? '' } : {}),
    onSettled: () => qc.invalidateQueries({ queryKey: ['dead-letters'] }),
  });
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v); else next.delete(k);
    next.delete('page');
    setParams(next);
  };
  return (
    <Stack>
      <Title order={3}>{t('nav.deadLetters')}</Title>
      <Group align="end">
        <Select label={t('common.status')} data={['new', 'replayed', 'discarded']} value={status} clearable
          onChange={(v) => setParam('status', v)} comboboxProps={{ withinPortal: false }} />
        <TextInput label={t('dlq.topic')} defaultValue={topic} onKeyDown={(e) => { if (e.key === 'Enter') setParam('topic', e.currentTarget.value.trim()); }} />
      </Group>
      <Problem error={list.error ?? act.error} />
      <Table data-testid="dead-letters">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('dlq.topic')}</Table.Th><Table.Th>{t('dlq.reason')}</Table.Th>
            <Table.Th>{t('dlq.failedAt')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((d) => (
            <Table.Tr key={d.id} data-dead-letter-id={d.id}>
              <Table.Td>{d.id}</Table.Td>
              <Table.Td><Text size="sm">{d.originalTopic ?? d.topic}</Text><Text size="xs" c="dimmed">{d.eventType}</Text></Table.Td>
              <Table.Td><Text size="sm">{d.reason}</Text><Text size="xs" c="dimmed" lineClamp={2}>{d.cause}</Text></Table.Td>
              <Table.Td>{fmtTime(d.receivedAt)}</Table.Td>
              <Table.Td><Badge variant="light">{d.status}</Badge></Table.Td>
              <Table.Td>
                {d.status === 'new' && (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" onClick={() => act.mutate({ id: d.id, action: 'replay' })}>{t('dlq.replay')}</Button>
                    <TextInput size="xs" placeholder={t('dlq.discardReason')} value={reasons[d.id] ?? ''}
                      onChange={(e) => { const v = e.currentTarget.value; setReasons((r) => ({ ...r, [d.id]: v })); }} />
                    <Button size="compact-xs" color="red" variant="light" disabled={!(reasons[d.id] ?? '').trim()}
                      onClick={() => act.mutate({ id: d.id, action: 'discard' })}>{t('dlq.discard')}</Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Text size="sm">{list.data ? `${t('common.total')} ${list.data.total}` : ''}</Text>
        <Button size="xs" variant="default" disabled={page === 0} onClick={() => setParams((p) => { p.set('page', String(page - 1)); return p; })}>{t('common.prev')}</Button>
        <Button size="xs" variant="default" disabled={!list.data || (page + 1) * 50 >= list.data.total}
          onClick={() => setParams((p) => { p.set('page', String(page + 1)); return p; })}>{t('common.next')}</Button>
      </Group>
    </Stack>
  );
}
