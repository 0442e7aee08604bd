import { ShoppingCartOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, Input, Pagination, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { productsApi } from '../../api/products';
import type { CatalogueProduct } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorAlert, FullPageSpin } from '../../components/States';
import { useListParams } from '../../lib/listing';
import { useMoney } from '../../lib/shop';
import { CategorySelect } from '../products/CategorySelect';

/** In stock or not; how many only when the shop shows its stock to customers. */
function StockTag({ product }: { product: CatalogueProduct }) {
  const { t } = useTranslation();
  if (!product.in_stock) return <Tag data-testid="stock-tag">{t('catalogue.outOfStock')}</Tag>;
  const n = product.stock_quantity;
  return (
    <Tag color="green" data-testid="stock-tag">
      {n === null || n === undefined ? t('catalogue.inStock') : t('catalogue.inStockN', { n })}
    </Tag>
  );
}

/**
 * What a customer may order: the active products (the server shows them nothing else), in
 * stock or not; SKUs and stock numbers only when the shop shows them.
 */
export default function CataloguePage() {
  const { t } = useTranslation();
  const money = useMoney();
  const list = useListParams('name');
  const categoryId = list.getInt('category_id');
  const params = {
    page: list.page,
    per_page: list.perPage,
    q: list.q,
    sort: list.sort,
    status: 'active' as const,
    category_id: categoryId,
  };
  const query = useQuery({
    queryKey: ['products', 'catalogue', params],
    queryFn: ({ signal }) => productsApi.catalogue(params, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('nav.catalogue')} />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('products.searchPlaceholder')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 320 }}
          aria-label={t('common.search')}
        />
        <CategorySelect
          value={categoryId ?? null}
          onChange={(v) => list.set({ category_id: v })}
          placeholder={t('categories.all')}
          style={{ width: 200 }}
          aria-label={t('categories.filter')}
          data-testid="category-filter"
        />
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <FullPageSpin />
      ) : query.data && query.data.items.length === 0 ? (
        <EmptyState />
      ) : (
        <Row gutter={[16, 16]} data-testid="catalogue">
          {query.data?.items.map((p) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={p.id}>
              <Card
                title={p.name}
                data-testid="catalogue-card"
                cover={
                  p.photo_url ? (
                    <img
                      src={p.photo_url}
                      alt={t('products.photoAlt', { name: p.name })}
                      loading="lazy"
                      style={{ height: 180, objectFit: 'cover' }}
                      data-testid="catalogue-photo"
                    />
                  ) : undefined
                }
                actions={[
                  p.in_stock ? (
                    <Link to={`/orders/new?product=${p.id}`} key="order" aria-label={t('catalogue.orderName', { name: p.name })}>
                      <Button type="link" icon={<ShoppingCartOutlined />}>
                        {t('catalogue.order')}
                      </Button>
                    </Link>
                  ) : (
                    <Button type="link" icon={<ShoppingCartOutlined />} disabled key="order">
                      {t('catalogue.order')}
                    </Button>
                  ),
                ]}
              >
                {p.sku && <Typography.Text type="secondary">{p.sku}</Typography.Text>}
                <div className="price">
                  {money(p.price)}
                  {p.unit && (
                    <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }} data-testid="catalogue-unit">
                      {' '}
                      / {p.unit}
                    </Typography.Text>
                  )}
                </div>
                <StockTag product={p} />
                {p.description && <Typography.Paragraph ellipsis={{ rows: 2 }}>{p.description}</Typography.Paragraph>}
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Flex justify="flex-end" style={{ marginTop: 16 }}>
        <Pagination
          current={list.page}
          pageSize={list.perPage}
          total={query.data?.total ?? 0}
          hideOnSinglePage
          onChange={(page, perPage) => list.set({ page, per_page: perPage }, false)}
        />
      </Flex>
    </>
  );
}
