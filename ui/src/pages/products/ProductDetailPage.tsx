import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { productsApi } from '../../api/products';
import { NotFound } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/States';
import { categoryPathText } from '../../lib/categories';
import { describeError } from '../../lib/errors';
import { positiveInt } from '../../lib/listing';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';
import { useCategories } from './CategorySelect';
import { MovementsTable } from './MovementsTable';
import { PhotoCard } from './PhotoCard';
import { ProductFormModal } from './ProductFormModal';
import { ProductStatusTag, StockCell } from './ProductTags';
import { StockAdjustModal } from './StockAdjustModal';

export default function ProductDetailPage() {
  const { t } = useTranslation();
  const id = positiveInt(useParams().id ?? null, 0);
  const { message } = App.useApp();
  const money = useMoney();
  const dateTime = useDateTime();
  const settings = useSettings();
  const categories = useCategories();
  const [modal, setModal] = useState<'edit' | 'adjust' | null>(null);
  const query = useQuery({
    queryKey: ['product', id],
    queryFn: ({ signal }) => productsApi.get(id, signal),
    enabled: id > 0,
  });
  const toggle = useMutation({
    mutationFn: (archive: boolean) => (archive ? productsApi.archive(id) : productsApi.restore(id)),
    onSuccess: (p) => void message.success(t(p.status === 'archived' ? 'products.archived' : 'products.restored')),
    onError: (err) => void message.error(describeError(err, t)),
  });

  if (id === 0) return <NotFound />;
  const back = (
    <Link to="/products" aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );

  return (
    <QueryView query={query}>
      {(p) => (
        <>
          <PageHeader
            back={back}
            title={p.name}
            extra={
              <>
                <Button type="primary" onClick={() => setModal('adjust')}>
                  {t('stock.adjust')}
                </Button>
                <Button onClick={() => setModal('edit')}>{t('common.edit')}</Button>
                <Button onClick={() => toggle.mutate(p.status === 'active')} loading={toggle.isPending}>
                  {p.status === 'active' ? t('products.archive') : t('products.restore')}
                </Button>
              </>
            }
          />
          <Card className="section">
            <Descriptions
              column={{ xs: 1, sm: 2, lg: 3 }}
              size="small"
              items={[
                { key: 'sku', label: t('products.sku'), children: p.sku },
                { key: 'price', label: t('products.price'), children: money(p.price) },
                {
                  key: 'cost',
                  label: t('products.costPrice'),
                  children: (
                    <span data-testid="product-cost-price">
                      {p.cost_price === null || p.cost_price === undefined ? (
                        <Typography.Text type="secondary">{t('products.unknown')}</Typography.Text>
                      ) : (
                        money(p.cost_price)
                      )}
                    </span>
                  ),
                },
                {
                  key: 'category',
                  label: t('products.category'),
                  children: (
                    <span data-testid="product-category">
                      {categoryPathText(categories.list, p.category_id) ||
                        (p.category_id && categories.isPending ? (
                          '…'
                        ) : (
                          <Typography.Text type="secondary">{t('categories.none')}</Typography.Text>
                        ))}
                    </span>
                  ),
                },
                { key: 'unit', label: t('products.unit'), children: p.unit || '—' },
                {
                  key: 'barcode',
                  label: t('products.barcode'),
                  children: p.barcode ? <Typography.Text copyable>{p.barcode}</Typography.Text> : '—',
                },
                { key: 'stock', label: t('products.stock'), children: <StockCell product={p} /> },
                {
                  key: 'threshold',
                  label: t('products.lowStockThreshold'),
                  children:
                    p.low_stock_threshold ??
                    t('products.defaultThreshold', { n: settings.data?.default_low_stock_threshold ?? 10 }),
                },
                { key: 'status', label: t('common.status'), children: <ProductStatusTag status={p.status} /> },
                { key: 'updated', label: t('common.updatedAt'), children: dateTime(p.updated_at) },
                ...(p.description
                  ? [{ key: 'desc', label: t('products.description'), children: p.description, span: 'filled' as const }]
                  : []),
              ]}
            />
          </Card>
          <PhotoCard product={p} />
          <Typography.Title level={4}>{t('stock.ledger')}</Typography.Title>
          <MovementsTable productId={p.id} />
          {modal === 'edit' && <ProductFormModal open product={p} onClose={() => setModal(null)} />}
          {modal === 'adjust' && <StockAdjustModal product={p} onClose={() => setModal(null)} />}
        </>
      )}
    </QueryView>
  );
}
