import { AccountBookOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ordersApi } from '../../api/orders';
import type { Order, OrderStatus, PaymentStatus } from '../../api/types';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../../api/types';
import { useUser } from '../../auth/session';
import { OrdersExportButton } from '../../components/Downloads';
import { PageHeader } from '../../components/PageHeader';
import { PaymentCell, PaymentStatusTag } from '../../components/PaymentTag';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { StatusTag } from '../../components/StatusTag';
import { isIsoDate } from '../../lib/dates';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney } from '../../lib/shop';

function isStatus(v: string | undefined): v is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(v ?? '');
}

function isPaymentStatus(v: string | undefined): v is PaymentStatus {
  return (PAYMENT_STATUSES as readonly string[]).includes(v ?? '');
}

export default function OrdersPage() {
  const { t } = useTranslation();
  const user = useUser();
  const staff = atLeast(user.role, 'staff');
  const money = useMoney();
  const phone = usePhone();
  const dateTime = useDateTime();
  const list = useListParams('-created_at');
  const statusParam = list.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const from = list.get('date_from');
  const to = list.get('date_to');
  const dateFrom = isIsoDate(from) ? from : undefined;
  const dateTo = isIsoDate(to) ? to : undefined;
  const customerId = list.getInt('customer_id');
  const paymentParam = list.get('payment_status');
  const paymentStatus = isPaymentStatus(paymentParam) ? paymentParam : undefined;

  const params = {
    page: list.page,
    per_page: list.perPage,
    q: list.q,
    sort: list.sort,
    status,
    date_from: dateFrom,
    date_to: dateTo,
    customer_id: customerId,
    payment_status: paymentStatus,
  };
  const query = useQuery({
    queryKey: ['orders', params],
    queryFn: ({ signal }) => ordersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });

  const sortable = (field: string) => ({ sorter: true, sortOrder: sortOrderFor(list.sort, field) });
  const customer = (o: Order) => o.customer_name ?? <Tag>{t('orders.walkIn')}</Tag>;
  const total = (o: Order) => (
    <span className="nowrap" data-testid="order-row-total">
      {money(o.total_amount)}
    </span>
  );
  // Phones (xs): the order in one column, its status and total on the right; wider screens
  // get every column.
  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.order'),
      key: 'summary',
      responsive: ['xs'],
      ...sortable('created_at'),
      render: (_v, o) => (
        <Flex vertical gap={2} align="flex-start">
          <Link to={`/orders/${o.id}`}>{o.order_number}</Link>
          <span>{customer(o)}</span>
          <Typography.Text type="secondary" className="hint">
            {dateTime(o.created_at)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('orders.total'),
      key: 'status-total',
      align: 'right',
      responsive: ['xs'],
      ...sortable('total_amount'),
      render: (_v, o) => (
        <Flex vertical gap={4} align="flex-end">
          <StatusTag status={o.status} />
          {total(o)}
          <PaymentStatusTag status={o.payment_status} />
        </Flex>
      ),
    },
    {
      title: t('orders.number'),
      dataIndex: 'order_number',
      key: 'order_number',
      responsive: ['sm'],
      ...sortable('order_number'),
      render: (_v, o) => <Link to={`/orders/${o.id}`}>{o.order_number}</Link>,
    },
    {
      title: t('orders.customer'),
      dataIndex: 'customer_name',
      key: 'customer',
      responsive: ['sm'],
      render: (_v, o) => customer(o),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      key: 'status',
      responsive: ['sm'],
      ...sortable('status'),
      render: (_v, o) => <StatusTag status={o.status} />,
    },
    {
      title: t('orders.total'),
      dataIndex: 'total_amount',
      key: 'total_amount',
      align: 'right',
      responsive: ['sm'],
      ...sortable('total_amount'),
      render: (_v, o) => total(o),
    },
    {
      title: t('orders.payment'),
      key: 'payment',
      responsive: ['sm'],
      render: (_v, o) => <PaymentCell order={o} />,
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'created_at',
      key: 'created_at',
      responsive: ['sm'],
      ...sortable('created_at'),
      render: (_v, o) => dateTime(o.created_at),
    },
    ...(staff
      ? [{ title: t('orders.createdBy'), dataIndex: 'created_by', key: 'created_by', responsive: ['md' as const] }]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={staff ? t('nav.orders') : t('orders.myOrders')}
        extra={
          <>
            {staff && (
              <OrdersExportButton
                filters={{
                  q: list.q,
                  status,
                  payment_status: paymentStatus,
                  date_from: dateFrom,
                  date_to: dateTo,
                  customer_id: customerId,
                }}
              />
            )}
            {!staff && user.customer_id && (
              <Link to={`/customers/${user.customer_id}/statement`} data-testid="my-statement">
                <Button icon={<AccountBookOutlined />}>{t('orders.myStatement')}</Button>
              </Link>
            )}
            <Link to="/orders/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('nav.newOrder')}
              </Button>
            </Link>
          </>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('orders.searchPlaceholder')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 280 }}
          aria-label={t('common.search')}
        />
        <Select<OrderStatus | 'all'>
          value={status ?? 'all'}
          onChange={(v) => list.set({ status: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('orders.allStatuses') },
            ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`orderStatus.${s}`) })),
          ]}
          style={{ width: 140 }}
          aria-label={t('common.status')}
          data-testid="status-filter"
        />
        <Select<PaymentStatus | 'all'>
          value={paymentStatus ?? 'all'}
          onChange={(v) => list.set({ payment_status: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('payments.allStatuses') },
            ...PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`paymentStatus.${s}`) })),
          ]}
          style={{ width: 170 }}
          popupMatchSelectWidth={false}
          aria-label={t('payments.status')}
          data-testid="payment-filter"
        />
        <DatePicker.RangePicker
          value={[dateFrom ? dayjs(dateFrom) : null, dateTo ? dayjs(dateTo) : null]}
          allowEmpty={[true, true]}
          onChange={(range) =>
            list.set({
              date_from: range?.[0]?.format('YYYY-MM-DD'),
              date_to: range?.[1]?.format('YYYY-MM-DD'),
            })
          }
          aria-label={t('common.dateRange')}
        />
        {customerId && (
          <Tag closable onClose={() => list.set({ customer_id: undefined })}>
            {t('orders.customerFilter', { id: customerId })}
          </Tag>
        )}
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<Order>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="orders-table"
        {...serverTableProps(list, query.data?.total, t)}
      />
    </>
  );
}
