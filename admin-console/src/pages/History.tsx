import { Alert, Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, postJson } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';

interface Entry { id: string; versionNumber: number; changeType: string; changeReason: string | null; operatorName: string | null; operatorId: string | null; changeTime: string }
interface HistoryPage { items: Entry[]; nextCursor: string | null; masked: boolean }
interface Change { path: string; kind: string; from: unknown; to: unknown }
interface Diff { changes: Change[]; lines: string[]; masked: boolean }
interface Outcome { dryRun: boolean; applied: boolean; itemVersion: number; changes: Change[]; lines: string[]; skipped: string[] }

/**
 * A product's change history (listing-service history:read): versions newest first, the diff of a
 * version against the one before, and a rollback to a version, first as a dry run that shows what
 * would change, then applied against the item version the dry run saw (history:rollback).
 */
export default function HistoryPageView() {
  const { itemId } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const canRollback = hasRole(session, 'operator', 'merchant', 'admin');
  const qc = useQueryClient();
  const history = useQuery({ queryKey: ['history', itemId], queryFn: () => api<HistoryPage>(`/listing/items/${itemId}/history?size=50`) });
  const [shown, setShown] = useState<number | null>(null);
  const diff = useQuery({
    queryKey: ['history-diff', itemId, shown], enabled: shown !== null && shown > 1,
    queryFn: () => api<Diff>(`/listing/items/${itemId}/history/diff?from=${shown! - 1}&to=${shown}`),
  });
  const [target, setTarget] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<Outcome | null>(null);
  const rollback = useMutation({
    mutationFn: (dryRun: boolean) => postJson<Outcome>(`/listing/items/${itemId}/history/rollback`, {
      toVersion: target, reason: reason.trim() || null, dryRun, ...(dryRun ? {} : { expectedVersion: preview?.itemVersion }),
    }),
    onSuccess: (o) => {
      setPreview(o);
      if (o.applied) qc.invalidateQueries({ queryKey: ['history', itemId] });
    },
  });

  return (
    <Stack>
      <Group><Title order={3}>{t('history.title')} #{itemId}</Title><Link to={`/items/${itemId}`}>{t('listing.item')}</Link></Group>
      <Problem error={history.error} />
      {history.data?.masked && <Alert color="gray">{t('history.masked')}</Alert>}
      <Table data-testid="history-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('listing.version')}</Table.Th><Table.Th>{t('history.change')}</Table.Th><Table.Th>{t('history.when')}</Table.Th>
            <Table.Th>{t('history.by')}</Table.Th><Table.Th>{t('history.reason')}</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(history.data?.items ?? []).map((e) => (
            <Table.Tr key={e.id} data-version={e.versionNumber}>
              <Table.Td>{e.versionNumber}</Table.Td><Table.Td><Badge variant="light">{e.changeType}</Badge></Table.Td>
              <Table.Td>{fmtTime(e.changeTime)}</Table.Td><Table.Td>{e.operatorName ?? e.operatorId ?? ''}</Table.Td>
              <Table.Td>{e.changeReason ?? ''}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {e.versionNumber > 1 && <Button size="compact-xs" variant="default" onClick={() => setShown(e.versionNumber)}>{t('history.diff')}</Button>}
                  {canRollback && <Button size="compact-xs" variant="light" onClick={() => { setTarget(e.versionNumber); setPreview(null); rollback.reset(); }}>{t('history.rollbackTo')}</Button>}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {shown !== null && (
        <Card withBorder data-testid="history-diff">
          <Title order={5}>{t('history.diff')} {shown - 1} → {shown}</Title>
          <Problem error={diff.error} />
          {(diff.data?.lines ?? []).map((l, i) => <Code key={i} block>{l}</Code>)}
        </Card>
      )}
      {target !== null && (
        <Card withBorder data-testid="rollback">
          <Title order={5}>{t('history.rollbackTo')} {target}</Title>
          <Group align="end">
            <TextInput label={t('history.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <Button variant="default" onClick={() => rollback.mutate(true)} loading={rollback.isPending}>{t('batches.dryRun')}</Button>
            <Button color="orange" disabled={!preview?.dryRun || !preview.changes.length} onClick={() => rollback.mutate(false)}>{t('history.apply')}</Button>
          </Group>
          <Problem error={rollback.error} />
          {preview && (
            <Stack gap={4} mt="xs">
              <Text size="sm">{preview.applied ? t('history.applied') : t('history.wouldChange')}</Text>
              {preview.lines.map((l, i) => <Code key={i} block>{l}</Code>)}
              {preview.skipped.map((l, i) => <Text key={i} size="xs" c="dimmed">{l}</Text>)}
            </Stack>
          )}
        </Card>
      )}
    </Stack>
  );
}
