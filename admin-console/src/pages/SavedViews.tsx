import { Badge, Button, Checkbox, Group, Popover, Select, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, postJson, putJson } from '../api';
import { useSession } from '../auth';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';
import { paramsOfView, sameState, type ViewState } from '../productQuery';

export interface SavedView extends ViewState { viewId: string; name: string; ownerId: string; shared: boolean; version: number; mine?: boolean }

/** GET /views answers a list (or a page of them). */
const listOf = (r: unknown): SavedView[] =>
  (Array.isArray(r) ? r : ((r as { items?: SavedView[]; views?: SavedView[] })?.items ?? (r as { views?: SavedView[] })?.views ?? []))
    .map((v: SavedView) => ({ ...v, viewId: String(v.viewId), ownerId: String(v.ownerId) }));

/**
 * Saved views of the products page, kept on the server per user (search-service /search/views): the
 * current filter, columns and sort saved under a name, picked again, shared with everyone, updated
 * (against the version read: a view changed elsewhere is 409 STALE_VERSION) and deleted.
 */
export default function SavedViews({ state, params, setParams }: {
  state: ViewState; params: URLSearchParams; setParams: (p: URLSearchParams) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const qc = useQueryClient();
  const views = useQuery({ queryKey: ['views'], queryFn: async () => listOf(await api<unknown>('/search/search/views')), retry: false });
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const current = (views.data ?? []).find((v) => v.viewId === params.get('view')) ?? null;
  const mine = !!current && (current.mine ?? current.ownerId === session.uid);
  const modified = !!current && !sameState(current, state);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try { await fn(); } catch (e) { setProblem(e); } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: ['views'] });
    }
  };
  const save = () => act(async () => {
    const v = await postJson<SavedView>('/search/search/views', { name: name.trim(), ...state, shared });
    setOpen(false);
    setName('');
    setParams(paramsOfView({ ...state, viewId: String(v.viewId) }, params));
  });
  const update = (changes: Partial<SavedView>) => act(async () => {
    await putJson(`/search/search/views/${current!.viewId}`, {
      name: current!.name, filter: state.filter, columns: state.columns, sort: state.sort, shared: current!.shared, ...changes, version: current!.version,
    });
  });
  const remove = () => act(async () => {
    await api(`/search/search/views/${current!.viewId}`, { method: 'DELETE' });
    const next = new URLSearchParams(params);
    next.delete('view');
    setParams(next);
  });

  // A search-service without saved views (404 on the list) shows no views control at all.
  if (views.error instanceof ApiError && views.error.status === 404) return null;
  const label = (v: SavedView) => `${v.name}${v.shared ? ` · ${t('views.shared')}` : ''}${!(v.mine ?? v.ownerId === session.uid) ? ` · ${t('views.by')} ${v.ownerId}` : ''}`;
  return (
    <Stack gap={4} data-testid="saved-views">
      <Group align="end" gap="xs">
        <Select label={t('views.view')} placeholder={t('views.none')} w={240} clearable searchable
          data={(views.data ?? []).map((v) => ({ value: v.viewId, label: label(v) }))} value={current?.viewId ?? null}
          onChange={(id) => {
            const v = (views.data ?? []).find((x) => x.viewId === id);
            if (v) setParams(paramsOfView(v, params));
            else { const next = new URLSearchParams(params); next.delete('view'); setParams(next); }
          }} />
        {modified && <Badge variant="light" color="yellow" data-testid="view-modified">{t('views.modified')}</Badge>}
        <Popover opened={open} onChange={setOpen} withinPortal={false} position="bottom-start">
          <Popover.Target><Button variant="default" onClick={() => setOpen((o) => !o)}>{t('views.saveAs')}</Button></Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs" data-testid="save-view">
              <TextInput label={t('views.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <Checkbox label={t('views.share')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
              <Button onClick={save} loading={busy} disabled={!name.trim()}>{t('common.save')}</Button>
            </Stack>
          </Popover.Dropdown>
        </Popover>
        {mine && (
          <>
            <Button variant="default" onClick={() => update({})} loading={busy} disabled={!modified}>{t('views.update')}</Button>
            <Button variant="default" onClick={() => update({ filter: current!.filter, columns: current!.columns, sort: current!.sort, shared: !current!.shared })} loading={busy}>
              {current!.shared ? t('views.unshare') : t('views.share')}
            </Button>
            <Button variant="default" color="red" onClick={remove} loading={busy}>{t('views.delete')}</Button>
          </>
        )}
      </Group>
      <Problem error={problem ?? views.error} />
    </Stack>
  );
}
