import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Input, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { productsApi } from '../../api/products';
import type { Product, ProductStatus } from '../../api/types';
import { PRODUCT_STATUSES } from '../../api/types';
import { useUser } from '../../auth/session';
import { ExportButton } from '../../components/Downloads';
import { ImportModal } from '../../components/ImportModal';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { describeError } from '../../lib/errors';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { categoryPathText } from '../../lib/categories';
import { useDateTime, useMoney } from '../../lib/shop';
import { CategorySelect, useCategories } from './CategorySelect';
import { ProductFormModal } from './ProductFormModal';
import { ProductStatusTag, StockCell } from './ProductTags';
import { ScanToAdjust } from './ScanToAdjust';

function isStatus(v: string | undefined): v is ProductStatus {
  return (PRODUCT_STATUSES as readonly string[]).includes(v ?? '');
}

export default function ProductsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const money = useMoney();
  const phone = usePhone();
  const dateTime = useDateTime();
  const list = useListParams('name');
  const statusParam = list.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const lowStock = list.getBool('low_stock');
  const categoryId = list.getInt('category_id');
  const categories = useCategories();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  // Imports are for admins; every staff member may export.
  const admin = atLeast(useUser().role, 'admin');

  const params = {
    page: list.page,
    per_page: list.perPage,
    q: list.q,
    sort: list.sort,
    status,
    low_stock: lowStock,
    category_id: categoryId,
  };
  const query = useQuery({
    queryKey: ['products', params],
    queryFn: ({ signal }) => productsApi.list(params, signal),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: (p: Product) => (p.status === 'active' ? productsApi.archive(p.id) : productsApi.restore(p.id)),
    onSuccess: (p) => void message.success(t(p.status === 'archived' ? 'products.archived' : 'products.restored')),
    onError: (err) => void message.error(describeError(err, t)),
  });

  const sortable = (field: string) => ({ sorter: true, sortOrder: sortOrderFor(list.sort, field) });
  const actions = (p: Product) => (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={() => setEditing(p)}>
        {t('common.edit')}
      </Button>
      <Button type="link" size="small" onClick={() => toggle.mutate(p)} loading={toggle.isPending && toggle.variables?.id === p.id}>
        {p.status === 'active' ? t('products.archive') : t('products.restore')}
      </Button>
    </Space>
  );
  // Phones (xs) get one summary column and the stock beside it; wider screens every column.
  const columns: TableColumnsType<Product> = [
    {
      title: t('products.name'),
      key: 'summary',
      responsive: ['xs'],
      ...sortable('name'),
      render: (_v, p) => (
        <Flex vertical gap={2} align="flex-start">
          <Flex gap={8} align="center">
            <Thumbnail product={p} />
            <Link to={`/products/${p.id}`}>{p.name}</Link>
          </Flex>
          <Typography.Text type="secondary">
            {p.sku} · {money(p.price)}
            {p.unit ? ` / ${p.unit}` : ''}
          </Typography.Text>
          {p.status !== 'active' && <ProductStatusTag status={p.status} />}
          {actions(p)}
        </Flex>
      ),
    },
    { title: t('products.sku'), dataIndex: 'sku', key: 'sku', responsive: ['sm'], ...sortable('sku') },
    {
      title: t('products.name'),
      dataIndex: 'name',
      key: 'name',
      responsive: ['sm'],
      ...sortable('name'),
      render: (_v, p) => (
        <Flex gap={8} align="center">
          <Thumbnail product={p} />
          <Link to={`/products/${p.id}`}>{p.name}</Link>
        </Flex>
      ),
    },
    {
      title: t('products.category'),
      dataIndex: 'category_id',
      key: 'category',
      responsive: ['md'],
      render: (_v, p) => categoryPathText(categories.list, p.category_id),
    },
    { title: t('products.barcode'), dataIndex: 'barcode', key: 'barcode', responsive: ['lg'] },
    {
      title: t('products.price'),
      dataIndex: 'price',
      key: 'price',
      align: 'right',
      responsive: ['sm'],
      ...sortable('price'),
      render: (_v, p) => money(p.price),
    },
    { title: t('products.unit'), dataIndex: 'unit', key: 'unit', responsive: ['sm'] },
    {
      title: t('products.stock'),
      dataIndex: 'stock_quantity',
      key: 'stock_quantity',
      align: 'right',
      ...sortable('stock_quantity'),
      render: (_v, p) => <StockCell product={p} />,
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      key: 'status',
      responsive: ['sm'],
      render: (_v, p) => <ProductStatusTag status={p.status} />,
    },
    {
      title: t('common.updatedAt'),
      dataIndex: 'updated_at',
      key: 'updated_at',
      responsive: ['md'],
      ...sortable('updated_at'),
      render: (_v, p) => dateTime(p.updated_at),
    },
    { title: t('common.actions'), key: 'actions', responsive: ['sm'], render: (_v, p) => actions(p) },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.products')}
        extra={
          <>
            <ExportButton name="products" filters={{ q: list.q, status, low_stock: lowStock, category_id: categoryId }} />
            {admin && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import">
                {t('transfer.import')}
              </Button>
            )}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('products.new')}
            </Button>
          </>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('products.searchPlaceholder')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 280 }}
          aria-label={t('common.search')}
        />
        <Select<ProductStatus | 'all'>
          value={status ?? 'all'}
          onChange={(v) => list.set({ status: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('products.allStatuses') },
            ...PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`productStatus.${s}`) })),
          ]}
          style={{ width: 140 }}
          aria-label={t('common.status')}
        />
        <CategorySelect
          value={categoryId ?? null}
          onChange={(v) => list.set({ category_id: v })}
          placeholder={t('categories.all')}
          style={{ width: 180 }}
          aria-label={t('categories.filter')}
          data-testid="category-filter"
        />
        <Checkbox checked={lowStock === true} onChange={(e) => list.set({ low_stock: e.target.checked })}>
          {t('products.lowStockOnly')}
        </Checkbox>
        <ScanToAdjust />
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<Product>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="products-table"
        {...serverTableProps(list, query.data?.total, t)}
      />
      {importing && <ImportModal kind="products" onClose={() => setImporting(false)} />}
      {editing !== null && (
        <ProductFormModal
          open
          product={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => void message.success(t('common.saved'))}
        />
      )}
    </>
  );
}

/** A small picture of the product beside its name, when it has a photo. */
function Thumbnail({ product }: { product: Product }) {
  if (!product.photo_url) return null;
  return (
    <img
      src={product.photo_url}
      alt=""
      width={32}
      height={32}
      loading="lazy"
      style={{ objectFit: 'cover', borderRadius: 4, flex: 'none' }}
      data-testid="product-thumb"
    />
  );
}
