import { Checkbox, NumberInput, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useI18n } from '../i18n';

/** One attribute of a category, as config-service's GET /categories/{id}/schema returns it. */
export interface Attribute {
  code: string;
  name: string;
  type: 'text' | 'number' | 'integer' | 'decimal' | 'datetime' | 'date' | 'enum' | 'bool' | 'json' | string;
  required: boolean;
  defaultValue?: string | null;
  enumValues?: string[] | null;
  validationRule?: Record<string, unknown> | null;
  sortOrder?: number;
  description?: string | null;
}

export type Values = Record<string, unknown>;

/**
 * The editable state of a json attribute is its text (so a half-typed array is not lost);
 * toItemData turns the state into the listing's itemData and says which fields do not parse.
 */
export function toItemData(attributes: Attribute[], values: Values): { itemData: Values; errors: Record<string, string> } {
  const itemData: Values = {};
  const errors: Record<string, string> = {};
  for (const a of attributes) {
    const v = values[a.code];
    if (v === undefined || v === null || v === '') continue;
    if (a.type === 'json' && typeof v === 'string') {
      try { itemData[a.code] = JSON.parse(v); } catch { errors[a.code] = 'invalidJson'; }
    } else if (a.type === 'datetime' && typeof v === 'string') {
      // datetime-local is the browser's local time; the server wants an instant.
      itemData[a.code] = new Date(v).toISOString();
    } else {
      itemData[a.code] = v;
    }
  }
  return { itemData, errors };
}

const num = (r: Record<string, unknown> | null | undefined, k: string) =>
  r && typeof r[k] === 'number' ? (r[k] as number) : undefined;

/**
 * The listing form of a category, generated from its attribute schema: a category created by
 * configuration gets its form with no front-end change. Server violations arrive in `errors`
 * keyed by attribute code and are shown on their fields.
 */
export function SchemaForm({ attributes, values, onChange, errors }: {
  attributes: Attribute[]; values: Values; onChange: (code: string, value: unknown) => void; errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const sorted = [...attributes].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  return (
    <Stack gap="sm">
      {sorted.map((a) => {
        const common = {
          key: a.code, label: a.name, description: a.description ?? undefined, required: a.required,
          error: errors[a.code] === 'invalidJson' ? t('form.invalidJson') : errors[a.code],
          'data-field': a.code,
        };
        const rule = a.validationRule;
        const v = values[a.code];
        switch (a.type) {
          case 'enum':
            return <Select {...common} data={a.enumValues ?? []} value={(v as string) ?? null} clearable={!a.required}
              onChange={(x) => onChange(a.code, x ?? undefined)} comboboxProps={{ withinPortal: false }} />;
          case 'integer':
          case 'number':
          case 'decimal':
            return <NumberInput {...common} min={num(rule, 'min')} max={num(rule, 'max')}
              allowDecimal={a.type !== 'integer'} clampBehavior="none" value={(v as number | undefined) ?? ''}
              onChange={(x) => onChange(a.code, x === '' ? undefined : Number(x))} />;
          case 'bool':
            return <Checkbox {...common} checked={v === true} onChange={(e) => onChange(a.code, e.currentTarget.checked)} />;
          case 'json':
            return <Textarea {...common} autosize minRows={3} placeholder={t('form.json')} styles={{ input: { fontFamily: 'monospace' } }}
              value={typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v)}
              onChange={(e) => onChange(a.code, e.currentTarget.value)} />;
          case 'date':
          case 'datetime':
            return <TextInput {...common} type={a.type === 'date' ? 'date' : 'datetime-local'} value={(v as string) ?? ''}
              onChange={(e) => onChange(a.code, e.currentTarget.value)} />;
          default:
            return <TextInput {...common} maxLength={num(rule, 'maxLength')} value={(v as string) ?? ''}
              onChange={(e) => onChange(a.code, e.currentTarget.value)} />;
        }
      })}
    </Stack>
  );
}
