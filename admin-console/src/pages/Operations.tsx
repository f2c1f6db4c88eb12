import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, postJson } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

interface JobRun { id: string; jobName: string; node: string; startedAt: string; finishedAt: string | null; outcome: string; detail: string | null }
interface Run {
  runId: string; trigger: string; status: string; startedAt: string; finishedAt: string | null; scanned: number; repaired: number;
  counts: Record<string, number>; error: string | null;
}
const OUTCOME: Record<string, string> = { succeeded: 'green', failed: 'red', running: 'blue', completed: 'green' };

/**
 * Scheduled job runs (maintenance-service, statistics:read) and search reconciliations
 * (search-service, reconciliation: operators and admins, who may also start one over everything).
 */
export default function OperationsPage() {
  const { t } = useI18n();
  const session = useSession();
  const qc = useQueryClient();
  const canReconcile = hasRole(session, 'operator', 'admin');
  const jobs = useQuery({ queryKey: ['job-runs'], queryFn: () => api<JobRun[]>('/maintenance/job-runs?limit=50') });
  const recon = useQuery({
    queryKey: ['reconciliations'], enabled: canReconcile,
    queryFn: () => api<PageOf<Run>>('/search/reconciliations?size=20'),
    // a started run is followed until it ends (the server keeps the state; a refresh finds it again)
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'running') ? 2000 : false),
  });
  const start = useMutation({ mutationFn: () => postJson('/search/reconciliations', {}), onSettled: () => qc.invalidateQueries({ queryKey: ['reconciliations'] }) });
  return (
    <Stack>
      <Title order={3}>{t('nav.operations')}</Title>
      {canReconcile && (
        <Card withBorder data-testid="reconciliations">
          <Group justify="space-between"><Title order={5}>{t('ops.reconciliations')}</Title>
            <Button size="xs" onClick={() => start.mutate()} loading={start.isPending}>{t('ops.startReconciliation')}</Button></Group>
          <Problem error={recon.error ?? start.error} />
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('ops.trigger')}</Table.Th><Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('ops.started')}</Table.Th><Table.Th>{t('ops.scanned')}</Table.Th><Table.Th>{t('ops.repaired')}</Table.Th><Table.Th>{t('ops.detail')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(recon.data?.items ?? []).map((r) => (
                <Table.Tr key={r.runId} data-run-id={r.runId}>
                  <Table.Td>{r.runId}</Table.Td><Table.Td>{r.trigger}</Table.Td>
                  <Table.Td><Badge color={OUTCOME[r.status] ?? 'gray'} variant="light">{r.status}</Badge></Table.Td>
                  <Table.Td>{fmtTime(r.startedAt)}</Table.Td><Table.Td>{r.scanned}</Table.Td><Table.Td>{r.repaired}</Table.Td>
                  <Table.Td><Text size="xs">{r.error ?? Object.entries(r.counts ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Card withBorder data-testid="job-runs">
        <Title order={5}>{t('ops.jobRuns')}</Title>
        <Problem error={jobs.error} />
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('ops.job')}</Table.Th><Table.Th>{t('ops.started')}</Table.Th><Table.Th>{t('ops.outcome')}</Table.Th>
            <Table.Th>{t('ops.detail')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(jobs.data ?? []).map((j) => (
              <Table.Tr key={j.id}>
                <Table.Td>{j.jobName}</Table.Td><Table.Td>{fmtTime(j.startedAt)}</Table.Td>
                <Table.Td><Badge color={OUTCOME[j.outcome] ?? 'gray'} variant="light">{j.outcome}</Badge></Table.Td>
                <Table.Td><Text size="xs" lineClamp={2}>{j.detail}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
