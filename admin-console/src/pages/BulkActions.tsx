import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';

// batch-operation-service's StatusChangeWorker.STATUSES
const TARGETS = ['online', 'offline', 'deleted', 'risk_control'];
const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;

/**
 * Bulk actions on the products grid's selection: the selection becomes a CSV sheet (the columns of
 * the operation's template) uploaded to batch-operation-service like a file, so it runs, reports and
 * can be undone like any batch; then the batch page follows it.
 */
export default function BulkActions({ itemIds, onDone }: { itemIds: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [action, setAction] = useState<string>('status_change');
  const [target, setTarget] = useState<string | null>('offline');
  const [tags, setTags] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const ready = action === 'status_change' ? !!target : !!tags.trim();
  const run = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const csv = action === 'status_change'
        ? ['item_id,target_status', ...itemIds.map((id) => `${id},${target}`)].join('\n')
        : ['item_id,tags', ...itemIds.map((id) => `${id},${cell(tags.trim())}`)].join('\n');
      const form = new FormData();
      form.set('file', new File([csv + '\n'], `${action}-selection.csv`, { type: 'text/csv' }));
      form.set('operationType', action);
      form.set('params', '{}');
      form.set('errorPolicy', 'ignore_failed'); // the other selected rows still run; failures are listed on the batch page
      form.set('dryRun', 'false');
      const reply = await api<{ batch: { batchId: string } }>('/batch/batches', { method: 'POST', body: form });
      onDone();
      navigate(`/batches/${reply.batch.batchId}`);
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group align="end" gap="xs" mb="xs" data-testid="bulk-actions">
      <Text size="sm">{itemIds.length} {t('bulk.selected')}</Text>
      <Select aria-label={t('bulk.action')} data={[{ value: 'status_change', label: t('bulk.statusChange') }, { value: 'tag_batch_add', label: t('bulk.addTags') }, { value: 'tag_batch_remove', label: t('bulk.removeTags') }]}
        value={action} allowDeselect={false} onChange={(v) => setAction(v ?? 'status_change')} w={180} comboboxProps={{ withinPortal: false }} />
      {action === 'status_change'
        ? <Select aria-label={t('bulk.targetStatus')} data={TARGETS} value={target} onChange={setTarget} w={140} comboboxProps={{ withinPortal: false }} />
        : <TextInput aria-label={t('common.tags')} placeholder={t('common.tags')} value={tags} onChange={(e) => setTags(e.currentTarget.value)} />}
      <Button onClick={run} loading={busy} disabled={!ready}>{t('bulk.createBatch')}</Button>
      <Problem error={problem} />
    </Group>
  );
}
