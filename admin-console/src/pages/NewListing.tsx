import { Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, postJson, putJson } from '../api';
import { useSession } from '../auth';
import { Problem, useCategories } from '../components/common';
import { SchemaForm, toItemData, type Attribute, type Values } from '../components/SchemaForm';
import { useI18n } from '../i18n';
import type { Task } from './listingTypes';

/**
 * A listing of any category: its form comes from config-service's attribute schema. Save and
 * submit creates the draft (idempotently), then submits it; the submit's violations land on
 * their fields, and the next try edits the same draft.
 */
export default function NewListingPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [shopId, setShopId] = useState('');
  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const draft = useRef<Task | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const schema = useQuery({
    queryKey: ['schema', categoryId], enabled: !!categoryId,
    queryFn: () => api<{ attributes: Attribute[] }>(`/config/categories/${categoryId}/schema`),
  });
  const merchant = !!session.merchantId;
  const leaves = useMemo(() => (categories.data ?? []).filter((c) => c.leaf), [categories.data]);

  const save = async (submit: boolean) => {
    const attrs = schema.data?.attributes ?? [];
    const { itemData, errors: local } = toItemData(attrs, values);
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      let task = draft.current;
      if (!task) {
        task = await postJson<Task>('/listing/listings', {
          categoryId, title, itemData,
          sourceType: merchant ? 'merchant_portal' : 'operator_form',
          sourceUserType: merchant ? 'merchant' : 'operator',
          ...(merchant ? {} : { shopId: shopId.trim() }),
        }, { 'Idempotency-Key': idempotencyKey.current });
      } else {
        task = await putJson<Task>(`/listing/listings/${task.taskId}`, { expectedVersion: task.version, title, itemData });
      }
      draft.current = task;
      if (submit) {
        task = await postJson<Task>(`/listing/listings/${task.taskId}/actions/submit`, { expectedVersion: task.version });
      }
      navigate(`/listings/${task.taskId}`);
    } catch (e) {
      if (e instanceof ApiError) {
        const byField: Record<string, string> = {};
        for (const v of e.violations) byField[v.field.replace(/^itemData\./, '')] = v.message;
        if (!e.violations.length && e.field) byField[e.field.replace(/^itemData\./, '')] = e.message;
        setErrors(byField);
      }
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder maw={720}>
      <Title order={3} mb="sm">{t('nav.newListing')}</Title>
      <Stack gap="sm">
        <Select label={t('form.category')} required searchable data={leaves}
          value={categoryId} onChange={(v) => { setCategoryId(v); setValues({}); setErrors({}); draft.current = null; }}
          data-testid="category-select" comboboxProps={{ withinPortal: false }} />
        <TextInput label={t('form.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={errors.title} />
        {!merchant && <TextInput label={t('form.shopId')} required value={shopId} onChange={(e) => setShopId(e.currentTarget.value)} error={errors.shopId} />}
        {schema.data ? (
          <SchemaForm attributes={schema.data.attributes} values={values} errors={errors}
            onChange={(code, v) => setValues((old) => ({ ...old, [code]: v }))} />
        ) : <Problem error={schema.error} />}
        <Problem error={problem} />
        <Group>
          <Button onClick={() => save(true)} loading={busy} disabled={!categoryId || !schema.data}>{t('form.saveSubmit')}</Button>
          <Button variant="default" onClick={() => save(false)} loading={busy} disabled={!categoryId || !schema.data}>{t('form.saveDraft')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}
