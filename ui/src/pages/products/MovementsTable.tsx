import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { productsApi } from '../../api/products';
import type { Movement } from '../../api/types';
import { EmptyState, ErrorAlert } from '../../components/States';
import { useDateTime } from '../../lib/shop';
import { signed } from '../../lib/stock';

/** A product's stock ledger, newest first, with the running balance. */
export function MovementsTable({ productId }: { productId: number }) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const params = { page, per_page: perPage };
  const query = useQuery({
    queryKey: ['movements', productId, params],
    queryFn: ({ signal }) => productsApi.movements(productId, params, signal),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<Movement> = [
    { title: t('common.time'), dataIndex: 'created_at', key: 'at', render: (_v, m) => dateTime(m.created_at) },
    { title: t('stock.reason'), dataIndex: 'reason', key: 'reason', render: (_v, m) => <Tag>{t(`reason.${m.reason}`)}</Tag> },
    {
      title: t('stock.delta'),
      dataIndex: 'quantity_delta',
      key: 'delta',
      align: 'right',
      render: (_v, m) => (
        <span className={m.quantity_delta < 0 ? 'negative' : 'positive'} data-testid="delta">
          {signed(m.quantity_delta)}
        </span>
      ),
    },
    { title: t('stock.balance'), dataIndex: 'balance_after', key: 'balance', align: 'right' },
    {
      title: t('orders.order'),
      key: 'order',
      render: (_v, m) => (m.order_id ? <Link to={`/orders/${m.order_id}`}>{m.order_number ?? `#${m.order_id}`}</Link> : '—'),
    },
    { title: t('common.user'), dataIndex: 'username', key: 'user', render: (_v, m) => m.username ?? '—' },
    { title: t('common.note'), dataIndex: 'note', key: 'note', render: (_v, m) => m.note ?? '' },
  ];

  return (
    <>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<Movement>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="movements"
        pagination={{
          current: page,
          pageSize: perPage,
          total: query.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, size) => {
            setPage(p);
            setPerPage(size);
          },
        }}
      />
    </>
  );
}
