import { Anchor, Badge, Button, Card, Code, Group, SimpleGrid, Table, Text, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, postJson } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';
import { buttonActions, type Task } from './listingTypes';

interface History { fromStatus: number | null; toStatus: number; action: string; reason: string | null; operatorId: string | null; operatorType: string | null; changedAt: string }
interface Saga { status: string; completedSteps: number; lastError: string | null; steps: { stepNo: number; stepName: string; status: string; attempts: number; error: string | null }[] }
interface AuditLog { auditType: string; auditAction: string; auditReason: string | null; rulesApplied: string[]; auditorId?: string | null; createdAt?: string }

const NAMES: Record<number, string> = { 0: 'DRAFT', 10: 'PENDING_AUDIT', 11: 'APPROVED', 12: 'REJECTED', 20: 'ONLINE', 21: 'OFFLINE', 22: 'MAINTAIN', 23: 'OUT_OF_STOCK' };
const nameOf = (s: number | null) => (s === null ? '-' : NAMES[s] ?? String(s));

// While a task moves by itself (audit, publish saga) the page follows it.
const MOVING = new Set(['PENDING_AUDIT', 'APPROVED']);

export default function ListingPage() {
  const { taskId } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const qc = useQueryClient();
  const task = useQuery({
    queryKey: ['listing', taskId], queryFn: () => api<Task>(`/listing/listings/${taskId}`),
    refetchInterval: (q) => (q.state.data && MOVING.has(q.state.data.statusName) ? 1000 : false),
  });
  const status = task.data?.statusName;
  const history = useQuery({ queryKey: ['listing-history', taskId, status], queryFn: () => api<History[]>(`/listing/listings/${taskId}/history`) });
  const audit = useQuery({ queryKey: ['audit-log', taskId, status], queryFn: () => api<AuditLog[]>(`/audit/audit-logs?taskId=${taskId}`) });
  // The publish saga exists once the task was approved; saga:read is operators' and admins'.
  const saga = useQuery({
    queryKey: ['saga', taskId, status], enabled: hasRole(session, 'operator', 'admin') && !!status && ['APPROVED', 'ONLINE', 'OFFLINE', 'MAINTAIN', 'OUT_OF_STOCK'].includes(status),
    queryFn: () => api<Saga>(`/publish/sagas/${taskId}`),
  });
  const act = useMutation({
    mutationFn: (action: string) => postJson<Task>(`/listing/listings/${taskId}/actions/${action}`, { expectedVersion: task.data?.version }),
    onSuccess: (t2) => qc.setQueryData(['listing', taskId], t2),
    onSettled: () => qc.invalidateQueries({ queryKey: ['listing', taskId] }),
  });
  if (task.error) return <Problem error={task.error} />;
  const l = task.data;
  if (!l) return null;
  const canWrite = hasRole(session, 'operator', 'merchant', 'admin');
  return (
    <>
      <Group mb="sm">
        <Title order={3}>{t('listing.detail')} {l.title}</Title>
        <Badge size="lg" data-testid="listing-status">{l.statusName}</Badge>
      </Group>
      <Text size="sm" mb="sm">#{l.taskId} · {t('common.category')} {l.categoryId} · {t('common.shop')} {l.shopId} · {l.sourceType}/{l.sourceUserType} · {t('listing.version')} {l.version}
        {l.itemId && <> · {t('listing.item')} <Anchor component={Link} to={`/items/${l.itemId}`} data-testid="item-link">{l.itemId}</Anchor></>}</Text>
      {canWrite && (
        <Group mb="sm" aria-label={t('listing.actions')}>
          {buttonActions(l).map((a) => (
            <Button key={a} loading={act.isPending && act.variables === a} onClick={() => act.mutate(a)} data-action={a}>{a}</Button>
          ))}
        </Group>
      )}
      <Problem error={act.error} />
      {l.errorMessage && <Text c="red">{l.errorMessage}</Text>}
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Title order={5}>{t('listing.history')}</Title>
          <Timeline active={(history.data?.length ?? 1) - 1} mt="sm" data-testid="history">
            {(history.data ?? []).map((h, i) => (
              <Timeline.Item key={i} title={`${h.action}: ${nameOf(h.fromStatus)} → ${nameOf(h.toStatus)}`}>
                <Text size="xs" c="dimmed">{fmtTime(h.changedAt)} · {h.operatorType ?? ''} {h.operatorId ?? ''} {h.reason ?? ''}</Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Card>
        <Card withBorder>
          <Title order={5}>{t('listing.itemData')}</Title>
          <Code block>{JSON.stringify(l.itemData, null, 2)}</Code>
          {saga.data && (
            <>
              <Title order={5} mt="sm">{t('listing.saga')} · {saga.data.status}</Title>
              <Table data-testid="saga-steps">
                <Table.Tbody>
                  {saga.data.steps.map((st) => (
                    <Table.Tr key={st.stepNo}><Table.Td>{st.stepNo}</Table.Td><Table.Td>{st.stepName}</Table.Td><Table.Td>{st.status}</Table.Td><Table.Td>{st.attempts}</Table.Td><Table.Td>{st.error}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          <Title order={5} mt="sm">{t('listing.auditLog')}</Title>
          <Table>
            <Table.Tbody>
              {(audit.data ?? []).map((a, i) => (
                <Table.Tr key={i}><Table.Td>{a.auditType}</Table.Td><Table.Td>{a.auditAction}</Table.Td><Table.Td>{a.auditReason}</Table.Td><Table.Td>{(a.rulesApplied ?? []).join(', ')}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </>
  );
}
