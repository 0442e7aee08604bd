import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Input, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { customersApi } from '../../api/customers';
import type { Customer } from '../../api/types';
import { useUser } from '../../auth/session';
import { ExportButton } from '../../components/Downloads';
import { ImportModal } from '../../components/ImportModal';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney } from '../../lib/shop';
import { CustomerFormModal } from './CustomerFormModal';

export default function CustomersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const money = useMoney();
  const phone = usePhone();
  const dateTime = useDateTime();
  const list = useListParams('name');
  const archived = list.getBool('archived') === true;
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  // Imports are for admins; every staff member may export.
  const admin = atLeast(useUser().role, 'admin');

  const params = { page: list.page, per_page: list.perPage, q: list.q, sort: list.sort, archived };
  const query = useQuery({
    queryKey: ['customers', params],
    queryFn: ({ signal }) => customersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });

  const sortable = (field: string) => ({ sorter: true, sortOrder: sortOrderFor(list.sort, field) });
  const lifetime = (c: Customer) => (
    <span className="nowrap" data-testid="customer-lifetime">
      {money(c.lifetime_total)}
    </span>
  );
  // Phones (xs): name and phone in one column, orders and spending on the right.
  const columns: TableColumnsType<Customer> = [
    {
      title: t('customers.name'),
      key: 'summary',
      responsive: ['xs'],
      ...sortable('name'),
      render: (_v, c) => (
        <Flex vertical gap={2} align="flex-start">
          <Link to={`/customers/${c.id}`}>{c.name}</Link>
          {c.phone && <Typography.Text type="secondary">{c.phone}</Typography.Text>}
          {c.is_archived && <Tag>{t('customers.archivedTag')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('customers.lifetimeTotal'),
      key: 'spending',
      align: 'right',
      responsive: ['xs'],
      render: (_v, c) => (
        <Flex vertical gap={2} align="flex-end">
          {lifetime(c)}
          <Typography.Text type="secondary" className="nowrap" data-testid="customer-orders">
            {t('customers.ordersN', { n: c.order_count })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('customers.name'),
      dataIndex: 'name',
      key: 'name',
      responsive: ['sm'],
      ...sortable('name'),
      render: (_v, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link>,
    },
    {
      title: t('customers.phone'),
      dataIndex: 'phone',
      key: 'phone',
      responsive: ['sm'],
      render: (_v, c) => c.phone ?? '',
    },
    { title: t('customers.email'), dataIndex: 'email', key: 'email', responsive: ['md'], render: (_v, c) => c.email ?? '' },
    {
      title: t('customers.orderCount'),
      dataIndex: 'order_count',
      key: 'orders',
      align: 'right',
      responsive: ['sm'],
    },
    {
      title: t('customers.lifetimeTotal'),
      dataIndex: 'lifetime_total',
      key: 'lifetime',
      align: 'right',
      responsive: ['sm'],
      render: (_v, c) => lifetime(c),
    },
    {
      title: t('customers.lastOrder'),
      dataIndex: 'last_order_at',
      key: 'last',
      responsive: ['md'],
      render: (_v, c) => dateTime(c.last_order_at),
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'created_at',
      key: 'created_at',
      responsive: ['lg'],
      ...sortable('created_at'),
      render: (_v, c) => dateTime(c.created_at),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.customers')}
        extra={
          <>
            <ExportButton name="customers" filters={{ q: list.q, archived }} />
            {admin && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import">
                {t('transfer.import')}
              </Button>
            )}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('customers.new')}
            </Button>
          </>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('customers.searchPlaceholder')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 280 }}
          aria-label={t('common.search')}
        />
        <Checkbox checked={archived} onChange={(e) => list.set({ archived: e.target.checked })}>
          {t('customers.showArchived')}
        </Checkbox>
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<Customer>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="customers-table"
        {...serverTableProps(list, query.data?.total, t)}
      />
      {importing && <ImportModal kind="customers" onClose={() => setImporting(false)} />}
      {creating && (
        <CustomerFormModal
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            void message.success(t('common.saved'));
            void navigate(`/customers/${c.id}`);
          }}
        />
      )}
    </>
  );
}
