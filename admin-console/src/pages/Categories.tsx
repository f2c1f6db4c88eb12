import { Badge, Button, Card, Checkbox, Group, Select, Stack, Table, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api, postJson, putJson } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem } from '../components/common';
import { useI18n } from '../i18n';

interface CategoryRow {
  categoryId: string; categoryCode: string; categoryName: string; parentId: string; level: number; sortOrder: number;
  active: boolean; version: number;
}
interface AttributeRow {
  attributeId: string; code: string; name: string; type: string; required: boolean; enumValues: string[] | null;
  validationRule: Record<string, unknown> | null; sortOrder: number; active: boolean; version: number;
}
// config-service AttributeRules.TYPES: the types the server accepts.
const TYPES = ['text', 'number', 'integer', 'decimal', 'datetime', 'date', 'enum', 'bool', 'json'];

/** Rows in tree order (children under their parent, by sortOrder) with their depth. */
export function treeOrder(cats: CategoryRow[]): { c: CategoryRow; depth: number }[] {
  const byParent = new Map<string, CategoryRow[]>();
  for (const c of cats) byParent.set(String(c.parentId), [...(byParent.get(String(c.parentId)) ?? []), c]);
  const out: { c: CategoryRow; depth: number }[] = [];
  const walk = (p: string, depth: number) => {
    for (const c of (byParent.get(p) ?? []).sort((a, b) => a.sortOrder - b.sortOrder)) {
      out.push({ c, depth });
      walk(String(c.categoryId), depth + 1);
    }
  };
  walk('0', 0);
  return out;
}

/**
 * The category tree (create, rename, move, enable/disable) and the attribute editor of the chosen
 * category. Everyone with config:read sees it; the write controls show for admins (config:write),
 * and the server decides anyway.
 */
export default function CategoriesPage() {
  const { t } = useI18n();
  const session = useSession();
  const canWrite = hasRole(session, 'admin');
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('categoryId');
  const cats = useQuery({ queryKey: ['config-categories'], queryFn: () => api<CategoryRow[]>('/config/categories?includeInactive=true') });
  const rows = treeOrder(cats.data ?? []);
  const selected = cats.data?.find((c) => String(c.categoryId) === selectedId) ?? null;
  const refresh = () => { qc.invalidateQueries({ queryKey: ['config-categories'] }); qc.invalidateQueries({ queryKey: ['categories'] }); };

  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [parent, setParent] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => postJson<CategoryRow>('/config/categories', { code: code.trim(), name: name.trim(), parentId: parent ?? '0' }),
    onSuccess: (c) => { setCode(''); setName(''); refresh(); setParams({ categoryId: String(c.categoryId) }); },
  });
  const parentOptions = rows.map(({ c, depth }) => ({ value: String(c.categoryId), label: `${'\u00a0\u00a0'.repeat(depth)}${c.categoryName} (${c.categoryId})` }));

  return (
    <Stack>
      <Title order={3}>{t('nav.categories')}</Title>
      {canWrite && (
        <Card withBorder>
          <Group align="end">
            <TextInput label={t('config.code')} description={t('config.codeHint')} value={code}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())} data-testid="new-category-code" />
            <TextInput label={t('config.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="new-category-name" />
            <Select label={t('config.parent')} clearable searchable placeholder={t('config.root')} data={parentOptions}
              value={parent} onChange={setParent} comboboxProps={{ withinPortal: false }} />
            <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!code.trim() || !name.trim()}>{t('config.createCategory')}</Button>
          </Group>
          <Problem error={create.error} />
        </Card>
      )}
      <Group align="start" wrap="nowrap">
        <Card withBorder miw={420} style={{ flex: '0 0 auto' }}>
          <Problem error={cats.error} />
          <Table highlightOnHover data-testid="category-tree">
            <Table.Tbody>
              {rows.map(({ c, depth }) => (
                <Table.Tr key={c.categoryId} data-category-id={c.categoryId} style={{ cursor: 'pointer' }}
                  bg={String(c.categoryId) === selectedId ? 'var(--mantine-color-blue-light)' : undefined}
                  onClick={() => setParams({ categoryId: String(c.categoryId) })}>
                  <Table.Td style={{ paddingLeft: 8 + depth * 18 }}>{c.categoryName}</Table.Td>
                  <Table.Td c="dimmed">{c.categoryCode}</Table.Td>
                  <Table.Td>{c.active ? null : <Badge color="gray">{t('config.disabled')}</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        {selected && (
          <Stack style={{ flex: 1 }}>
            <CategoryEditor key={`${selected.categoryId}-${selected.version}`} category={selected} canWrite={canWrite}
              parentOptions={parentOptions.filter((o) => o.value !== String(selected.categoryId))} onChanged={refresh} />
            <AttributeEditor categoryId={String(selected.categoryId)} canWrite={canWrite} />
          </Stack>
        )}
      </Group>
    </Stack>
  );
}

function CategoryEditor({ category, canWrite, parentOptions, onChanged }: {
  category: CategoryRow; canWrite: boolean; parentOptions: { value: string; label: string }[]; onChanged: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(category.categoryName);
  const [parent, setParent] = useState<string | null>(String(category.parentId) === '0' ? null : String(category.parentId));
  const id = category.categoryId;
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => putJson(`/config/categories/${id}`, { ...body, version: category.version }),
    onSuccess: onChanged,
  });
  const move = useMutation({
    mutationFn: () => postJson(`/config/categories/${id}/move`, { parentId: parent ?? '0', version: category.version }),
    onSuccess: onChanged,
  });
  return (
    <Card withBorder data-testid="category-editor">
      <Title order={5} mb="xs">{category.categoryName} ({category.categoryId}) · {t('config.level')} {category.level}</Title>
      <Group align="end">
        <TextInput label={t('config.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!canWrite} />
        {canWrite && <Button variant="default" onClick={() => update.mutate({ name })} disabled={name === category.categoryName}>{t('config.rename')}</Button>}
        <Select label={t('config.parent')} clearable searchable placeholder={t('config.root')} data={parentOptions}
          value={parent} onChange={setParent} disabled={!canWrite} comboboxProps={{ withinPortal: false }} />
        {canWrite && <Button variant="default" onClick={() => move.mutate()}
          disabled={(parent ?? '0') === String(category.parentId)}>{t('config.move')}</Button>}
        {canWrite && (
          <Button color={category.active ? 'red' : 'green'} variant="light" onClick={() => update.mutate({ active: !category.active })}>
            {category.active ? t('config.disable') : t('config.enable')}
          </Button>
        )}
      </Group>
      <Problem error={update.error ?? move.error} />
    </Card>
  );
}

interface Draft { code: string; name: string; type: string; required: boolean; enumValues: string; rules: string; version?: number }
const EMPTY: Draft = { code: '', name: '', type: 'text', required: false, enumValues: '', rules: '' };

function AttributeEditor({ categoryId, canWrite }: { categoryId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const attrs = useQuery({
    queryKey: ['config-attributes', categoryId],
    queryFn: () => api<AttributeRow[]>(`/config/categories/${categoryId}/attributes?includeInactive=true`),
  });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [rulesError, setRulesError] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const done = () => { setDraft(EMPTY); setEditing(null); qc.invalidateQueries({ queryKey: ['config-attributes', categoryId] }); qc.invalidateQueries({ queryKey: ['schema', categoryId] }); };
  const save = useMutation({
    // A change that would invalidate online items answers 409 CONFIRMATION_REQUIRED with the schema
    // version; "confirm" repeats it with that version (the server refuses if the schema moved since).
    mutationFn: async (confirmVersion?: number) => {
      let rules: Record<string, unknown> | null = null;
      if (draft.rules.trim()) {
        try { rules = JSON.parse(draft.rules); } catch { setRulesError(t('form.invalidJson')); throw new Error(t('form.invalidJson')); }
      }
      setRulesError(null);
      const body = {
        code: draft.code.trim(), name: draft.name.trim(), type: draft.type, required: draft.required,
        enumValues: draft.type === 'enum' ? draft.enumValues.split(',').map((s) => s.trim()).filter(Boolean) : null,
        validationRule: rules, ...(editing ? { version: draft.version } : {}),
      };
      const q = confirmVersion === undefined ? '' : `?confirm=true&schemaVersion=${confirmVersion}`;
      return editing
        ? putJson(`/config/categories/${categoryId}/attributes/${editing}${q}`, body)
        : postJson(`/config/categories/${categoryId}/attributes${q}`, body);
    },
    onSuccess: done,
  });
  const deactivate = useMutation({
    mutationFn: (c: string) => api(`/config/categories/${categoryId}/attributes/${c}`, { method: 'DELETE' }),
    onSuccess: done,
  });
  const confirmNeeded = save.error instanceof ApiError && save.error.code === 'CONFIRMATION_REQUIRED'
    ? Number(save.error.body.schemaVersion) : null;

  return (
    <Card withBorder data-testid="attribute-editor">
      <Title order={5} mb="xs">{t('config.attributes')}</Title>
      <Problem error={attrs.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('config.code')}</Table.Th><Table.Th>{t('config.name')}</Table.Th><Table.Th>{t('config.type')}</Table.Th>
            <Table.Th>{t('form.required')}</Table.Th><Table.Th>{t('config.enumValues')}</Table.Th><Table.Th>{t('config.rules')}</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(attrs.data ?? []).map((a) => (
            <Table.Tr key={a.code} data-attribute-code={a.code} opacity={a.active ? 1 : 0.5}>
              <Table.Td>{a.code}</Table.Td><Table.Td>{a.name}</Table.Td><Table.Td>{a.type}</Table.Td>
              <Table.Td>{a.required ? '✓' : ''}</Table.Td><Table.Td>{(a.enumValues ?? []).join(', ')}</Table.Td>
              <Table.Td>{a.validationRule && Object.keys(a.validationRule).length ? JSON.stringify(a.validationRule) : ''}</Table.Td>
              <Table.Td>
                {canWrite && a.active && (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="default" onClick={() => {
                      setEditing(a.code);
                      setDraft({ code: a.code, name: a.name, type: a.type, required: a.required, enumValues: (a.enumValues ?? []).join(', '),
                        rules: a.validationRule && Object.keys(a.validationRule).length ? JSON.stringify(a.validationRule) : '', version: a.version });
                    }}>{t('config.edit')}</Button>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => deactivate.mutate(a.code)}>{t('config.disable')}</Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Stack gap="xs" mt="sm" data-testid="attribute-form">
          <Group align="end">
            <TextInput label={t('config.code')} value={draft.code} disabled={!!editing} onChange={(e) => set({ code: e.currentTarget.value })} />
            <TextInput label={t('config.name')} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} />
            <Select label={t('config.type')} data={TYPES} value={draft.type} allowDeselect={false}
              onChange={(v) => set({ type: v ?? 'text' })} comboboxProps={{ withinPortal: false }} />
            <Checkbox label={t('form.required')} checked={draft.required} onChange={(e) => set({ required: e.currentTarget.checked })} />
          </Group>
          {draft.type === 'enum' && (
            <TextInput label={t('config.enumValues')} description={t('config.enumHint')} value={draft.enumValues}
              onChange={(e) => set({ enumValues: e.currentTarget.value })} />
          )}
          <Textarea label={t('config.rules')} description={t('config.rulesHint')} value={draft.rules} error={rulesError}
            autosize minRows={1} onChange={(e) => set({ rules: e.currentTarget.value })} />
          <Problem error={save.error ?? deactivate.error} />
          <Group>
            <Button onClick={() => save.mutate(undefined)} loading={save.isPending} disabled={!draft.code.trim() || !draft.name.trim()}>
              {editing ? t('common.save') : t('config.addAttribute')}
            </Button>
            {confirmNeeded !== null && <Button color="orange" onClick={() => save.mutate(confirmNeeded)}>{t('config.confirm')}</Button>}
            {editing && <Button variant="default" onClick={() => { setEditing(null); setDraft(EMPTY); save.reset(); }}>{t('common.cancel')}</Button>}
          </Group>
        </Stack>
      )}
    </Card>
  );
}
