import { Anchor, Badge, Button, Card, Checkbox, FileInput, Group, Progress, Select, Table, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, download } from '../api';
import { useSession } from '../auth';
import { Problem, fmtTime, useCategories } from '../components/common';
import { useI18n } from '../i18n';
import type { PageOf } from './listingTypes';

export interface Batch {
  batchId: string; batchCode: string; operationType: string; status: string; progress: number; totalCount: number;
  successCount: number; failedCount: number; skippedCount: number; processingCount: number; pendingCount: number;
  validationFailedCount: number; etaSeconds: number | null; dryRun: boolean; errorPolicy: string; fileName: string | null;
  errorSummary: string | null; createdAt: string; finishedAt: string | null; waitingFor: string | null;
}
export const OPERATIONS = ['price_adjust', 'inventory_update', 'listing_upload', 'item_edit', 'status_change', 'tag_batch_add', 'tag_batch_remove', 'voucher_code_import'];

/** Batch history, template download and the upload that starts a batch. */
export default function BatchesPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const categories = useCategories();
  const [operation, setOperation] = useState<string>('price_adjust');
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [params, setParams] = useState(session.merchantId ? '{}' : '{"shopId": 1001}');
  const [policy, setPolicy] = useState('ignore_failed');
  const [dryRun, setDryRun] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const list = useQuery({ queryKey: ['batches'], queryFn: () => api<PageOf<Batch>>('/batch/batches?size=20') });

  const upload = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const form = new FormData();
      if (file) form.set('file', file);
      form.set('operationType', operation);
      form.set('params', params);
      form.set('errorPolicy', policy);
      form.set('dryRun', String(dryRun));
      const reply = await api<{ batch: Batch }>('/batch/batches', { method: 'POST', body: form });
      navigate(`/batches/${reply.batch.batchId}`);
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Title order={3} mb="sm">{t('nav.batches')}</Title>
      <Card withBorder mb="md" maw={820}>
        <Group align="end">
          <Select label={t('batches.operation')} data={OPERATIONS} value={operation} onChange={(v) => setOperation(v ?? 'price_adjust')} data-testid="operation" />
          <Select label={t('common.category')} data={categories.data ?? []} clearable searchable value={categoryId} onChange={setCategoryId} />
          <Button variant="default" onClick={() => download(`/batch/templates/${operation}${categoryId ? `?categoryId=${categoryId}` : ''}`, `${operation}-template.xlsx`).catch(setProblem)}>
            {t('batches.template')}</Button>
        </Group>
        <Group align="end" mt="sm">
          <FileInput label={t('batches.file')} value={file} onChange={setFile} accept=".xlsx,.csv" w={260} clearable data-testid="file" />
          <TextInput label={t('batches.params')} value={params} onChange={(e) => setParams(e.currentTarget.value)} w={200} />
          <Select label={t('batches.errorPolicy')} data={['ignore_failed', 'reject_failed_rows', 'reject_everything']} value={policy} onChange={(v) => setPolicy(v ?? 'ignore_failed')} />
          <Checkbox label={t('batches.dryRun')} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} mb={8} />
          <Button onClick={upload} loading={busy}>{t('batches.upload')}</Button>
        </Group>
        <Problem error={problem} />
      </Card>
      <Title order={4}>{t('batches.history')}</Title>
      <Problem error={list.error} />
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('common.id')}</Table.Th><Table.Th>{t('batches.operation')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th>{t('batches.progress')}</Table.Th><Table.Th>{t('batches.succeeded')}</Table.Th><Table.Th>{t('batches.failed')}</Table.Th><Table.Th>{t('common.created')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((b) => (
            <Table.Tr key={String(b.batchId)}>
              <Table.Td><Anchor component={Link} to={`/batches/${b.batchId}`}>{String(b.batchId)}</Anchor></Table.Td>
              <Table.Td>{b.operationType}{b.dryRun ? ' (dry run)' : ''}</Table.Td><Table.Td><Badge variant="light">{b.status}</Badge></Table.Td>
              <Table.Td w={160}><Progress value={b.progress} /></Table.Td><Table.Td>{b.successCount}</Table.Td><Table.Td>{b.failedCount + b.validationFailedCount}</Table.Td>
              <Table.Td>{fmtTime(b.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
