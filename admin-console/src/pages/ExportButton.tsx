import { Button, Group, Progress, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, postJson } from '../api';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';
import { exportRequest, type ViewState } from '../productQuery';

interface ExportJob { exportId: string; status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED'; rows?: number; error?: string | null }
const FINISHED = new Set(['DONE', 'FAILED']);

/**
 * Export of exactly what the page shows: the selected rows when some are ticked, else the whole
 * current filter, with the shown columns, as an .xlsx written by search-service in the background
 * (POST /search/exports, followed until DONE with the rows written so far, then its file).
 */
export default function ExportButton({ state, selectedIds }: { state: ViewState; selectedIds: string[] }) {
  const { t } = useI18n();
  const [exportId, setExportId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const job = useQuery({
    queryKey: ['export', exportId], enabled: !!exportId,
    queryFn: () => api<ExportJob>(`/search/search/exports/${exportId}`),
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.status) ? false : 1000),
  });
  const start = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await postJson<ExportJob>('/search/search/exports', exportRequest(state, selectedIds));
      setExportId(String(r.exportId));
    } catch (e) { setProblem(e); } finally { setBusy(false); }
  };
  const j = job.data;
  const running = !!exportId && (!j || !FINISHED.has(j.status));
  return (
    <Group gap="xs" align="center" data-testid="export" data-status={j?.status ?? (exportId ? 'QUEUED' : 'none')}>
      <Button variant="default" onClick={start} loading={busy} disabled={running}>
        {selectedIds.length ? `${t('export.selection')} (${selectedIds.length})` : t('export.filter')}
      </Button>
      {exportId && (
        <>
          {running && <Progress value={100} striped animated w={120} data-testid="export-progress" />}
          <Text size="sm" data-testid="export-status">{j?.status ?? 'QUEUED'}{j?.rows !== undefined ? ` · ${j.rows} ${t('export.rows')}` : ''}</Text>
          {j?.status === 'DONE' && (
            <Button size="compact-sm" data-testid="export-download"
              onClick={() => download(`/search/search/exports/${exportId}/file`, `products-${exportId}.xlsx`).catch(setProblem)}>
              {t('export.download')}
            </Button>
          )}
          {j?.status === 'FAILED' && <Text size="sm" c="red">{j.error}</Text>}
        </>
      )}
      <Problem error={problem ?? job.error} />
    </Group>
  );
}
