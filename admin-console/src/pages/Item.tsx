import { Alert, Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api';
import { Problem, fmtTime } from '../components/common';
import { useI18n } from '../i18n';

interface Sku { skuId: string; skuCode: string; status: string; priceCents: number; faceValueCents: number | null; stock: number }
interface ItemView {
  itemId: string; title: string; status: string; categoryId: string; shopId: string; price: number; stock: number;
  servedFrom?: string; updatedAt: number; skus: Sku[];
}

/** One catalogue item from the read side; another shop's item answers 404 to a merchant. */
export default function ItemPage() {
  const { itemId } = useParams();
  const { t } = useI18n();
  const item = useQuery({ queryKey: ['item', itemId], queryFn: () => api<ItemView>(`/search/items/${itemId}`) });
  if (item.error instanceof ApiError && item.error.status === 404) {
    return <Alert color="yellow" title={t('item.notFound')} data-testid="item-not-found">{item.error.message}</Alert>;
  }
  if (item.error) return <Problem error={item.error} />;
  const i = item.data;
  if (!i) return null;
  return (
    <Card withBorder>
      <Group><Title order={3}>{i.title}</Title><Badge data-testid="item-status">{i.status}</Badge>
        <Link to={`/items/${i.itemId}/history`} data-testid="history-link">{t('history.title')}</Link></Group>
      <Text size="sm">#{i.itemId} · {t('common.category')} {i.categoryId} · {t('common.shop')} {i.shopId} · {fmtTime(i.updatedAt)}</Text>
      <Title order={5} mt="md">{t('item.skus')}</Title>
      <Table>
        <Table.Thead><Table.Tr><Table.Th>SKU</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th>{t('common.price')}</Table.Th><Table.Th>{t('common.stock')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {i.skus.map((s) => (
            <Table.Tr key={String(s.skuId)}><Table.Td>{s.skuCode} ({String(s.skuId)})</Table.Td><Table.Td>{s.status}</Table.Td>
              <Table.Td>{(s.priceCents / 100).toFixed(2)}</Table.Td><Table.Td>{s.stock === -1 ? '∞' : s.stock}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
