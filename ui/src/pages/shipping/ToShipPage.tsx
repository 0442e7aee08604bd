import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buildUrl } from '../../api/client';
import { ordersApi } from '../../api/orders';
import type { Order, OrderView } from '../../api/types';
import { CsvLink, useFileLang } from '../../components/Downloads';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { addressLine } from '../../lib/goods';
import { useListParams } from '../../lib/listing';
import { useDateTime } from '../../lib/shop';
import { ShipModal } from '../orders/ShipModal';

/**
 * 待发货: confirmed orders not yet fully shipped, oldest first, each with a quick ship that
 * asks only for the carrier and tracking number (a scanner types it, Enter ships).
 */
export default function ToShipPage() {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const lang = useFileLang();
  const client = useQueryClient();
  const list = useListParams('created_at');
  const params = { page: list.page, per_page: list.perPage, q: list.q, sort: 'created_at', status: 'confirmed' as const };
  const query = useQuery({
    queryKey: ['orders', params],
    queryFn: ({ signal }) => ordersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const [shipping, setShipping] = useState<OrderView | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);

  const open = async (id: number) => {
    setOpening(id);
    setOpenError(null);
    try {
      setShipping(await client.query({ queryKey: ['order', id], queryFn: ({ signal }) => ordersApi.get(id, signal), staleTime: 0 }));
    } catch (err) {
      setOpenError(err);
    } finally {
      setOpening(null);
    }
  };

  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.number'),
      key: 'number',
      render: (_v, o) => <Link to={`/orders/${o.id}`}>{o.order_number}</Link>,
    },
    { title: t('common.createdAt'), key: 'at', render: (_v, o) => dateTime(o.created_at) },
    {
      title: t('shipping.shipTo'),
      key: 'to',
      render: (_v, o) => (
        <>
          <div>
            <strong>{o.ship_to.name ?? o.customer_name ?? t('orders.walkIn')}</strong> {o.ship_to.phone}
          </div>
          <Typography.Text type="secondary">{addressLine(o.ship_to)}</Typography.Text>
        </>
      ),
    },
    {
      title: '',
      key: 'ship',
      align: 'right',
      render: (_v, o) => (
        <Button type="primary" loading={opening === o.id} onClick={() => void open(o.id)} data-testid={`quick-ship-${o.id}`}>
          {t('shipping.ship')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('shipping.toShipTitle')}
        extra={<CsvLink href={buildUrl('/api/shipments', { format: 'csv', lang })} label={t('shipping.dayList')} testId="shipments-csv" />}
      />
      <Typography.Paragraph type="secondary">{t('shipping.toShipHint')}</Typography.Paragraph>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {openError !== null && <ErrorAlert error={openError} />}
      <Table<Order>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={t('shipping.nothingToShip')} /> }}
        data-testid="to-ship"
        {...serverTableProps<Order>(list, query.data?.total, t)}
      />
      {shipping && (
        <ShipModal
          order={shipping}
          quick
          onClose={() => setShipping(null)}
          onDone={(o) => {
            setShipping(null);
            if (o) client.setQueryData(['order', o.id], o);
            void client.invalidateQueries({ queryKey: ['orders'] });
          }}
        />
      )}
    </>
  );
}
