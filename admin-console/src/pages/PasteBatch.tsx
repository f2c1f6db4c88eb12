import { Anchor, Badge, Button, Card, Checkbox, Group, Progress, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, postJson } from '../api';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';
import { outcomes, passedOnly, toSheets, type BatchItem, type CellOutcome, type PasteCell, type PasteOperation, type PasteResult, type PasteSheet } from '../paste';
import type { Batch } from './Batches';
import type { PageOf } from './listingTypes';

const DONE = new Set(['completed', 'partial_success', 'failed', 'cancelled']);
type Phase = 'dryRun' | 'applied' | 'undone';
interface Run { phase: Phase; batches: { sheet: PasteSheet | null; operationType: PasteOperation; batchId: string }[] }

/** One batch per sheet, like an uploaded file; the user already confirmed, so a sheet equal to its dry run's runs too (force). */
async function upload(sheet: PasteSheet, dryRun: boolean, confirmPrices: boolean): Promise<string> {
  const form = new FormData();
  form.set('file', new File([sheet.csv], `paste-${sheet.column}.csv`, { type: 'text/csv' }));
  form.set('operationType', sheet.operationType);
  form.set('params', JSON.stringify({ mode: 'set', reason: 'pasted in the products grid', ...(confirmPrices ? { confirm: true } : {}) }));
  form.set('errorPolicy', 'ignore_failed');
  form.set('dryRun', String(dryRun));
  form.set('force', 'true');
  const reply = await api<{ batch: Batch }>('/batch/batches', { method: 'POST', body: form });
  return String(reply.batch.batchId);
}

/**
 * A paste from a spreadsheet as batches: first a dry run of every pasted cell (price, stock and
 * title each a batch of its operation), shown as before -> after with the failing cells marked;
 * on confirmation the cells the dry run passed are applied, and the applied batches can be undone
 * together (batch-operation-service's undo: the recorded before-values, refused where changed since).
 */
export default function PasteBatch({ paste, onClose }: { paste: PasteResult; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const sheets = useMemo(() => toSheets(paste.cells), [paste]);
  const [confirmPrices, setConfirmPrices] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const act = async (fn: () => Promise<Run | null>) => {
    setBusy(true);
    setProblem(null);
    try { const r = await fn(); if (r) setRun(r); } catch (e) { setProblem(e); } finally { setBusy(false); }
  };
  const dryRun = (confirm: boolean) => act(async () => ({
    phase: 'dryRun',
    batches: await Promise.all(sheets.map(async (s) => ({ sheet: s, operationType: s.operationType, batchId: await upload(s, true, confirm) }))),
  }));
  // once per paste (a ref, so React's development double effects do not upload twice)
  const started = useRef(false);
  useEffect(() => {
    if (sheets.length && !started.current) { started.current = true; void dryRun(false); }
  }, [sheets]); // eslint-disable-line react-hooks/exhaustive-deps

  const state = useQuery({
    queryKey: ['paste-run', run?.phase, run?.batches.map((b) => b.batchId).join(',')],
    enabled: !!run,
    queryFn: async () => {
      const batches = await Promise.all(run!.batches.map((b) => api<Batch>(`/batch/batches/${b.batchId}`)));
      const done = batches.every((b) => DONE.has(b.status));
      const items: Partial<Record<PasteOperation, BatchItem[]>> = {};
      if (done && run!.phase !== 'undone') {
        await Promise.all(run!.batches.map(async (b) => {
          items[b.operationType] = (await api<PageOf<BatchItem>>(`/batch/batches/${b.batchId}/items?size=200`)).items;
        }));
      }
      return { batches, done, items };
    },
    refetchInterval: (q) => (q.state.data?.done ? false : 1000),
  });
  const done = !!state.data?.done;
  useEffect(() => {
    if (done && run?.phase !== 'dryRun') void qc.invalidateQueries({ queryKey: ['search'] });
  }, [done, run?.phase, qc]);

  // Before the first answer every sent cell shows as pending; refused cells are marked at once.
  // After a confirmation the cells not sent keep their dry run's outcome; after an undo the table
  // keeps what the undone batches had changed.
  const [prior, setPrior] = useState<Map<PasteCell, CellOutcome>>(new Map());
  const rows = useMemo(() => {
    if (run?.phase === 'undone') return [...prior.values()];
    const current = run?.phase === 'applied' ? run.batches.map((b) => b.sheet!) : sheets;
    const sent = new Set(current.flatMap((s) => [...s.cellOfRow.values()]));
    return outcomes(paste.cells, current, state.data?.items ?? {})
      .map((r) => (sent.has(r.cell) || r.problem ? r : prior.get(r.cell) ?? r));
  }, [paste, sheets, run, prior, state.data]);
  const passed = new Set<PasteCell>(rows.filter((r) => r.ok).map((r) => r.cell));
  const failing = rows.filter((r) => r.problem).length;
  const tooLarge = rows.some((r) => r.problem?.code === 'CHANGE_TOO_LARGE');

  const apply = () => act(async () => {
    setPrior(new Map(rows.map((r) => [r.cell, r])));
    const batches: Run['batches'] = [];
    for (const s of sheets) {
      const only = passedOnly(s, passed);
      if (only) batches.push({ sheet: only, operationType: only.operationType, batchId: await upload(only, false, confirmPrices) });
    }
    return { phase: 'applied', batches };
  });
  const undo = () => act(async () => {
    setPrior(new Map(rows.map((r) => [r.cell, r])));
    return {
    phase: 'undone',
    batches: await Promise.all(run!.batches.map(async (b) => ({
      sheet: null, operationType: b.operationType,
      batchId: String((await postJson<Batch>(`/batch/batches/${b.batchId}/undo`, {})).batchId),
    }))),
    };
  });

  const progress = state.data ? Math.round(state.data.batches.reduce((n, b) => n + b.progress, 0) / state.data.batches.length) : 0;
  const phaseLabel = run?.phase === 'applied' ? t('paste.applied') : run?.phase === 'undone' ? t('paste.undone') : t('paste.dryRun');
  return (
    <Card withBorder mb="sm" data-testid="paste-batch" data-phase={run?.phase ?? 'none'} data-done={String(done)}>
      <Group justify="space-between">
        <Title order={5}>{t('paste.title')} · {phaseLabel}</Title>
        <Button variant="subtle" size="compact-sm" onClick={onClose}>{t('paste.close')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {paste.cells.length} {t('paste.cells')} · {paste.unchanged} {t('paste.unchangedCells')}{paste.outside ? ` · ${paste.outside} ${t('paste.outside')}` : ''}
      </Text>
      {run && <Progress value={done ? 100 : progress} mt="xs" striped={!done} animated={!done} data-testid="paste-progress" />}
      {run && (
        <Group gap="xs" mt="xs">
          {(state.data?.batches ?? []).map((b) => (
            <Anchor key={b.batchId} component={Link} to={`/batches/${b.batchId}`} size="sm" data-testid="paste-batch-link">
              {b.operationType} #{String(b.batchId)} <Badge size="xs" variant="light">{b.status}</Badge>
            </Anchor>
          ))}
        </Group>
      )}
      <Table mt="xs" data-testid="paste-cells">
        <Table.Thead><Table.Tr><Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('paste.column')}</Table.Th><Table.Th>{t('paste.before')}</Table.Th>
          <Table.Th>{t('paste.after')}</Table.Th><Table.Th>{t('common.status')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.cell.itemId}/${r.cell.column}`} data-cell={`${r.cell.itemId}/${r.cell.column}`}
              data-outcome={r.problem ? 'failed' : r.ok ? 'ok' : 'pending'} bg={r.problem ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Td>{r.cell.itemId}</Table.Td><Table.Td>{r.cell.column}</Table.Td>
              <Table.Td data-testid="before">{r.before}</Table.Td><Table.Td data-testid="after">{r.after}</Table.Td>
              <Table.Td>{r.problem ? <Text size="sm" c="red" data-testid="cell-problem">{r.problem.code}: {r.problem.message}</Text>
                : r.ok ? <Badge color="green" variant="light">{run?.phase === 'dryRun' ? t('paste.wouldChange') : run?.phase === 'undone' ? t('paste.undone') : t('paste.changed')}</Badge>
                  : <Text size="sm" c="dimmed">…</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Problem error={problem ?? state.error} />
      <Group mt="sm">
        {run?.phase === 'dryRun' && done && (
          <>
            <Button onClick={apply} loading={busy} disabled={!passed.size} data-testid="paste-apply">
              {t('paste.apply')} ({passed.size})
            </Button>
            {tooLarge && (
              <Checkbox label={t('paste.confirmPrices')} checked={confirmPrices}
                onChange={(e) => { const c = e.currentTarget.checked; setConfirmPrices(c); void dryRun(c); }} />
            )}
            <Text size="sm" c={failing ? 'red' : 'dimmed'}>{failing} {t('paste.failing')}</Text>
          </>
        )}
        {run?.phase === 'applied' && done && (
          <Button variant="default" onClick={undo} loading={busy} data-testid="paste-undo">{t('paste.undo')}</Button>
        )}
        {!sheets.length && <Text size="sm" c="red">{t('paste.nothing')}</Text>}
      </Group>
    </Card>
  );
}
