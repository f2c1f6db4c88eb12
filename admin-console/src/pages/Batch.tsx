import { Badge, Button, Card, Group, Progress, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, download } from '../api';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';
import type { Batch } from './Batches';

interface Row { rowNo: number; targetId: string | null; status: string; errorCode: string | null; errorField: string | null; errorMessage: string | null; before: unknown; after: unknown }
const DONE = new Set(['completed', 'partial_success', 'failed', 'cancelled']);

/**
 * One batch's live progress. The state is the server's (GET /batches/{id}, polled every
 * second until the batch is finished), so a page refresh picks up where it was.
 */
export default function BatchPage() {
  const { batchId } = useParams();
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const batch = useQuery({
    queryKey: ['batch', batchId], queryFn: () => api<Batch>(`/batch/batches/${batchId}`),
    refetchInterval: (q) => (q.state.data && DONE.has(q.state.data.status) ? false : 1000),
  });
  const done = !!batch.data && DONE.has(batch.data.status);
  const failed = useQuery({
    queryKey: ['batch-failed', batchId, batch.data?.status], enabled: done,
    queryFn: async () => {
      const [a, b] = await Promise.all([
        api<PageOf<Row>>(`/batch/batches/${batchId}/items?status=failed&size=50`),
        api<PageOf<Row>>(`/batch/batches/${batchId}/items?status=validation_failed&size=50`),
      ]);
      return [...b.items, ...a.items].sort((x, y) => x.rowNo - y.rowNo);
    },
  });
  if (batch.error) return <Problem error={batch.error} />;
  const b = batch.data;
  if (!b) return null;
  return (
    <Card withBorder>
      <Group><Title order={3}>{b.operationType} #{String(b.batchId)}</Title><Badge size="lg" data-testid="batch-status">{b.status}</Badge></Group>
      <Text size="sm">{b.fileName} · {b.errorPolicy}{b.dryRun ? ' · dry run' : ''}{b.waitingFor ? ` · waiting for ${b.waitingFor}` : ''}</Text>
      <Progress value={b.progress} size="xl" mt="sm" data-testid="batch-progress" aria-valuenow={b.progress} striped={!done} animated={!done} />
      <Group mt="xs" gap="lg">
        <Text data-testid="batch-counts">{b.progress}% · {t('batches.succeeded')} {b.successCount} · {t('batches.failed')} {b.failedCount + b.validationFailedCount} / {b.totalCount}</Text>
        {!done && b.etaSeconds !== null && <Text>{t('batches.eta')} {b.etaSeconds}s</Text>}
      </Group>
      {b.errorSummary && <Text c="red">{b.errorSummary}</Text>}
      {done && (
        <Group mt="sm">
          <Button onClick={() => download(`/batch/batches/${batchId}/result.xlsx`, `batch-${batchId}-result.xlsx`).catch(setProblem)} data-testid="download-result">{t('batches.result')}</Button>
          {b.failedCount + b.validationFailedCount > 0 && (
            <Button variant="default" onClick={() => download(`/batch/batches/${batchId}/rejected.xlsx`, `batch-${batchId}-rejected.xlsx`).catch(setProblem)}>{t('batches.rejected')}</Button>
          )}
        </Group>
      )}
      <Problem error={problem ?? failed.error} />
      {(failed.data?.length ?? 0) > 0 && (
        <>
          <Title order={5} mt="md">{t('batches.failedRows')}</Title>
          <Table data-testid="failed-rows">
            <Table.Thead><Table.Tr><Table.Th>{t('batches.row')}</Table.Th><Table.Th>{t('batches.field')}</Table.Th><Table.Th>{t('batches.code')}</Table.Th><Table.Th>{t('batches.message')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {failed.data!.map((r) => <Table.Tr key={r.rowNo}><Table.Td>{r.rowNo}</Table.Td><Table.Td>{r.errorField}</Table.Td><Table.Td>{r.errorCode}</Table.Td><Table.Td>{r.errorMessage}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
