import { Badge, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, postJson } from '../api';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

interface Supplier { supplierCode: string; supplierName: string; categoryCode: string; syncMode: string; enabled: boolean; categoryIds: string[]; shopId: string }
interface SyncState {
  supplierCode: string; lastSuccessAt: string | null; lastAttemptAt: string | null; consecutiveFailures: number; lastError: string | null;
  receivedCount: number; appliedCount: number; failedCount: number; lagSeconds: number | null; nextPullAt: string | null;
}

/** The supplier registry with each supplier's sync state (supplier-sync-service, supplier:admin); pull suppliers can be pulled now. */
export default function SuppliersPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const suppliers = useQuery({ queryKey: ['suppliers'], queryFn: () => api<PageOf<Supplier>>('/supplier/suppliers?size=100') });
  const state = useQuery({ queryKey: ['supplier-sync'], queryFn: () => api<SyncState[]>('/supplier/suppliers/sync-state') });
  const pull = useMutation({
    mutationFn: (code: string) => postJson(`/supplier/suppliers/${code}/pull`, {}),
    onSettled: () => qc.invalidateQueries({ queryKey: ['supplier-sync'] }),
  });
  const byCode = new Map((state.data ?? []).map((s) => [s.supplierCode, s]));
  return (
    <Stack>
      <Title order={3}>{t('nav.suppliers')}</Title>
      <Problem error={suppliers.error ?? state.error ?? pull.error} />
      <Card withBorder>
        <Table data-testid="suppliers">
          <Table.Thead><Table.Tr><Table.Th>{t('config.code')}</Table.Th><Table.Th>{t('config.name')}</Table.Th><Table.Th>{t('ops.mode')}</Table.Th>
            <Table.Th>{t('common.category')}</Table.Th><Table.Th>{t('ops.lastSuccess')}</Table.Th><Table.Th>{t('ops.counts')}</Table.Th>
            <Table.Th>{t('ops.lastError')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(suppliers.data?.items ?? []).map((s) => {
              const st = byCode.get(s.supplierCode);
              return (
                <Table.Tr key={s.supplierCode} data-supplier={s.supplierCode}>
                  <Table.Td>{s.supplierCode} {!s.enabled && <Badge color="gray">{t('config.disabled')}</Badge>}</Table.Td>
                  <Table.Td>{s.supplierName}</Table.Td><Table.Td>{s.syncMode}</Table.Td>
                  <Table.Td>{s.categoryCode} ({s.categoryIds.join(', ')})</Table.Td>
                  <Table.Td>{fmtTime(st?.lastSuccessAt)}</Table.Td>
                  <Table.Td><Text size="xs">{st ? `${st.receivedCount} / ${st.appliedCount} / ${st.failedCount}` : ''}</Text></Table.Td>
                  <Table.Td><Text size="xs" c="red" lineClamp={2}>{st?.consecutiveFailures ? `${st.consecutiveFailures}× ${st.lastError ?? ''}` : ''}</Text></Table.Td>
                  <Table.Td>{s.syncMode === 'pull' && s.enabled &&
                    <Button size="compact-xs" variant="default" onClick={() => pull.mutate(s.supplierCode)}>{t('ops.pullNow')}</Button>}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
