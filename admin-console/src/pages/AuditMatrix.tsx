import { Badge, Card, Group, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, postJson, putJson } from '../api';
import { hasRole, useSession } from '../auth';
import { Problem, useCategories } from '../components/common';
import { useI18n } from '../i18n';

// config-service AuditVocabulary: the values a configuration row may hold.
const SOURCES = ['operator_form', 'merchant_portal', 'merchant_app', 'excel_batch', 'supplier_push', 'supplier_pull', 'api'];
const USER_TYPES = ['operator', 'merchant', 'system'];
const STRATEGIES = ['skip', 'auto', 'fast_track', 'manual'];
const COLOURS: Record<string, string> = { skip: 'green', auto: 'teal', fast_track: 'yellow', manual: 'red' };

interface AuditConfig { configId: string; categoryId: string; sourceType: string; sourceUserType: string | null; auditStrategy: string; version: number }
interface Decision { strategy: string; configured: boolean; configId: string | null; matchedCategoryId: string | null; reason: string }

/**
 * The audit strategy matrix of one category: source x user type, each cell the strategy the server
 * resolves (its own row, an ancestor's or the default, with the reason), and for admins a select
 * that writes the category's own row.
 */
export default function AuditMatrixPage() {
  const { t } = useI18n();
  const session = useSession();
  const canWrite = hasRole(session, 'admin');
  const qc = useQueryClient();
  const categories = useCategories();
  const [params, setParams] = useSearchParams();
  const categoryId = params.get('categoryId');
  const own = useQuery({
    queryKey: ['audit-configs', categoryId], enabled: !!categoryId,
    queryFn: () => api<AuditConfig[]>(`/config/audit-configs?categoryId=${categoryId}`),
  });
  const resolved = useQuery({
    queryKey: ['audit-resolve', categoryId], enabled: !!categoryId,
    queryFn: async () => {
      const cells = SOURCES.flatMap((s) => USER_TYPES.map((u) => [s, u] as const));
      const out = await Promise.all(cells.map(([s, u]) => api<Decision>(
        `/config/audit-configs/resolve?categoryId=${categoryId}&sourceType=${s}&sourceUserType=${u}`)));
      return new Map(cells.map(([s, u], i) => [`${s}/${u}`, out[i]]));
    },
  });
  const set = useMutation({
    mutationFn: ({ sourceType, sourceUserType, strategy }: { sourceType: string; sourceUserType: string; strategy: string }) => {
      const row = own.data?.find((c) => String(c.categoryId) === categoryId && c.sourceType === sourceType && c.sourceUserType === sourceUserType);
      const body = { categoryId, sourceType, sourceUserType, auditStrategy: strategy };
      return row ? putJson(`/config/audit-configs/${row.configId}`, { ...body, version: row.version })
        : postJson('/config/audit-configs', body);
    },
    onSettled: () => { qc.invalidateQueries({ queryKey: ['audit-configs', categoryId] }); qc.invalidateQueries({ queryKey: ['audit-resolve', categoryId] }); },
  });

  return (
    <Stack>
      <Title order={3}>{t('nav.auditMatrix')}</Title>
      <Select label={t('common.category')} searchable maw={420} data={categories.data ?? []} value={categoryId}
        onChange={(v) => setParams(v ? { categoryId: v } : {})} data-testid="audit-category" comboboxProps={{ withinPortal: false }} />
      <Problem error={own.error ?? resolved.error ?? set.error} />
      {categoryId && resolved.data && (
        <Card withBorder>
          <Table data-testid="audit-matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.source')} \ {t('audit.userType')}</Table.Th>
                {USER_TYPES.map((u) => <Table.Th key={u}>{u}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SOURCES.map((s) => (
                <Table.Tr key={s}>
                  <Table.Td>{s}</Table.Td>
                  {USER_TYPES.map((u) => {
                    const d = resolved.data.get(`${s}/${u}`)!;
                    const mine = String(d.matchedCategoryId ?? '') === categoryId;
                    return (
                      <Table.Td key={u} data-cell={`${s}/${u}`}>
                        <Group gap={6} wrap="nowrap">
                          <Tooltip label={d.reason} multiline w={320}>
                            <Badge color={COLOURS[d.strategy] ?? 'gray'} variant={d.configured ? 'filled' : 'outline'} data-testid="resolved">
                              {d.strategy}
                            </Badge>
                          </Tooltip>
                          <Text size="xs" c="dimmed">
                            {d.configured ? (mine ? t('audit.own') : `${t('audit.inherited')} ${d.matchedCategoryId}`) : t('audit.default')}
                          </Text>
                          {canWrite && (
                            <Select size="xs" w={110} data={STRATEGIES} placeholder={t('audit.set')} value={null} aria-label={`${s} ${u}`}
                              onChange={(v) => v && set.mutate({ sourceType: s, sourceUserType: u, strategy: v })}
                              comboboxProps={{ withinPortal: false }} />
                          )}
                        </Group>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
