import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, postJson, putJson } from '../api';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

interface Supplier {
  supplierCode: string; supplierName: string; categoryCode: string; syncMode: string; enabled: boolean; categoryIds: string[]; shopId: string;
  adapter: string; endpointUrl: string | null; pushTopic: string | null; pullIntervalSeconds: number | null; pageSize: number;
  rateLimitPerSecond: number; credentialRef: string | null; userId?: string | null; version: number;
}
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
  // null: no form; 'new': the create form; a code: that supplier's edit form
  const [editing, setEditing] = useState<string | null>(null);
  const [toggleError, setToggleError] = useState<unknown>(null);
  const toggle = async (s: Supplier) => {
    setToggleError(null);
    try { await putJson(`/supplier/suppliers/${s.supplierCode}`, { enabled: !s.enabled, version: s.version }); } catch (e) { setToggleError(e); }
    await qc.invalidateQueries({ queryKey: ['suppliers'] });
  };
  const edited = (suppliers.data?.items ?? []).find((s) => s.supplierCode === editing);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>{t('nav.suppliers')}</Title>
        <Button onClick={() => setEditing('new')} disabled={editing === 'new'}>{t('suppliers.new')}</Button>
      </Group>
      <Problem error={suppliers.error ?? state.error ?? pull.error ?? toggleError} />
      {editing && (editing === 'new' || edited) && (
        <SupplierForm key={editing} supplier={editing === 'new' ? null : edited!} onDone={() => setEditing(null)} />
      )}
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
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {s.syncMode === 'pull' && s.enabled &&
                        <Button size="compact-xs" variant="default" onClick={() => pull.mutate(s.supplierCode)}>{t('ops.pullNow')}</Button>}
                      <Button size="compact-xs" variant="default" onClick={() => setEditing(s.supplierCode)}>{t('suppliers.edit')}</Button>
                      <Button size="compact-xs" variant="default" onClick={() => toggle(s)}>
                        {s.enabled ? t('suppliers.disable') : t('suppliers.enable')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

const SYNC_MODES = ['push', 'pull', 'both'];
const ADAPTERS = ['movie', 'hotel', 'deal_feed'];
type Form = Record<string, string> & { enabled: string };
const TEXT_FIELDS = ['supplierName', 'categoryCode', 'categoryIds', 'shopId', 'userId', 'endpointUrl', 'pullIntervalSeconds', 'pushTopic',
  'pageSize', 'rateLimitPerSecond', 'credentialRef'] as const;
const NUMBERS = new Set(['pullIntervalSeconds', 'pageSize', 'rateLimitPerSecond']);

function formOf(s: Supplier | null): Form {
  const f: Form = { enabled: String(s?.enabled ?? true), supplierCode: s?.supplierCode ?? '', syncMode: s?.syncMode ?? 'push', adapter: s?.adapter ?? 'movie' };
  for (const k of TEXT_FIELDS) {
    const v = (s as unknown as Record<string, unknown> | null)?.[k];
    f[k] = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v);
  }
  if (!s) { f.pageSize = '100'; f.rateLimitPerSecond = '20'; }
  return f;
}

/**
 * A registry entry's create or edit form (supplier-sync-service POST/PUT /suppliers). An edit sends
 * the fields changed with the version read; a change made meanwhile is 409 STALE_VERSION (the
 * entry is read again). The server checks every rule and names the field: shown on that field.
 */
function SupplierForm({ supplier, onDone }: { supplier: Supplier | null; onDone: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  // An edit shows the entry as last read, except the fields the user changed: after a
  // STALE_VERSION reload the others show (and keep) what someone else saved meanwhile.
  const initial = formOf(supplier);
  const [typed, setTyped] = useState<Partial<Form>>({});
  const f: Form = { ...initial, ...typed } as Form;
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: string) => setTyped((o) => ({ ...o, [k]: v }));
  const body = () => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(f)) {
      if (supplier && (!(k in typed) || f[k] === initial[k])) continue; // an edit sends what the user changed
      const v = f[k].trim();
      if (k === 'enabled') out.enabled = f.enabled === 'true';
      else if (k === 'categoryIds') out.categoryIds = v ? v.split(/[\s,]+/).filter(Boolean) : [];
      else if (NUMBERS.has(k)) out[k] = v === '' ? null : Number(v);
      else if (k === 'shopId' || k === 'userId') out[k] = v === '' ? null : v;
      else out[k] = v;
    }
    if (supplier) { delete out.supplierCode; out.version = supplier.version; }
    return out;
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      if (supplier) await putJson(`/supplier/suppliers/${supplier.supplierCode}`, body());
      else await postJson('/supplier/suppliers', body());
      await qc.invalidateQueries({ queryKey: ['suppliers'] });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'ERROR', String(e), {}));
      if (e instanceof ApiError && e.code === 'STALE_VERSION') await qc.invalidateQueries({ queryKey: ['suppliers'] });
    } finally { setBusy(false); }
  };
  // The server's problem names one field (or violations several): the message goes on that field.
  const onField = new Map<string, string>();
  if (error?.field) onField.set(error.field.replace(/^params\./, ''), error.message.replace(new RegExp(`^${error.field}: `), ''));
  for (const v of error?.violations ?? []) onField.set(v.field, v.message);
  const shownOnField = error && [...onField.keys()].some((k) => k === 'supplierCode' || k === 'syncMode' || k === 'adapter' || k === 'enabled' || (TEXT_FIELDS as readonly string[]).includes(k));
  const err = (k: string) => onField.get(k);
  const text = (k: (typeof TEXT_FIELDS)[number] | 'supplierCode', label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={f[k]} onChange={(e) => set(k, e.currentTarget.value)} error={err(k)} data-field={k} {...extra} />
  );
  return (
    <Card withBorder data-testid="supplier-form">
      <Title order={5} mb="xs">{supplier ? `${t('suppliers.edit')} ${supplier.supplierCode} (v${supplier.version})` : t('suppliers.new')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        {text('supplierCode', t('config.code'), { disabled: !!supplier, description: t('config.codeHint') })}
        {text('supplierName', t('config.name'))}
        {text('categoryCode', t('suppliers.categoryCode'))}
        {text('categoryIds', t('suppliers.categoryIds'), { description: t('suppliers.commaSeparated') })}
        <Select label={t('ops.mode')} data={SYNC_MODES} value={f.syncMode} onChange={(v) => set('syncMode', v ?? '')} error={err('syncMode')}
          allowDeselect={false} data-field="syncMode" comboboxProps={{ withinPortal: false }} />
        <Select label={t('suppliers.adapter')} data={ADAPTERS} value={f.adapter} onChange={(v) => set('adapter', v ?? '')} error={err('adapter')}
          allowDeselect={false} data-field="adapter" comboboxProps={{ withinPortal: false }} />
        {text('shopId', t('common.shop'))}
        {text('userId', t('suppliers.userId'))}
        {text('credentialRef', t('suppliers.credentialRef'), { description: 'keycloak:client/<id>, secret:<name> or env:<NAME>' })}
        {text('endpointUrl', t('suppliers.endpointUrl'))}
        {text('pullIntervalSeconds', t('suppliers.pullInterval'))}
        {text('pushTopic', t('suppliers.pushTopic'))}
        {text('pageSize', t('suppliers.pageSize'))}
        {text('rateLimitPerSecond', t('suppliers.rateLimit'))}
        <Switch label={t('suppliers.enable')} checked={f.enabled === 'true'} onChange={(e) => set('enabled', String(e.currentTarget.checked))} mt="lg" />
      </SimpleGrid>
      {error && !shownOnField && <Problem error={error} />}
      {error?.code === 'STALE_VERSION' && <Text c="red" size="sm">{t('suppliers.stale')}</Text>}
      <Group mt="sm">
        <Button onClick={save} loading={busy}>{supplier ? t('common.save') : t('suppliers.create')}</Button>
        <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
      </Group>
    </Card>
  );
}
