import { AccountBookOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { customersApi } from '../../api/customers';
import type { CustomerDetail, Order } from '../../api/types';
import { useUser } from '../../auth/session';
import { NotFound } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { describeError } from '../../lib/errors';
import { positiveInt } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney } from '../../lib/shop';
import { CustomerFormModal } from './CustomerFormModal';
import { LinkLoginModal } from './LinkLoginModal';
import { AddressesCard } from './AddressesCard';
export default function CustomerDetailPage() {
  const id = positiveInt(useParams().id ?? null, 0);
  const query = useQuery({
    queryKey: ['customer', id],
    queryFn: ({ signal }) => customersApi.get(id, signal),
    enabled: id > 0,
  });
  if (id === 0) return <NotFound />;
  return <QueryView query={query}>{(c) => <CustomerView customer={c} />}</QueryView>;
}

function CustomerView({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const money = useMoney();
  const dateTime = useDateTime();
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  // Logins are listed for admins only (GET /api/users), so only they pick one here.
  const admin = atLeast(useUser().role, 'admin');
  const toggle = useMutation({
    mutationFn: () => (c.is_archived ? customersApi.restore(c.id) : customersApi.archive(c.id)),
    onSuccess: () => void message.success(t('common.saved')),
    onError: (err) => void message.error(describeError(err, t)),
  });

  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.number'),
      dataIndex: 'order_number',
      key: 'n',
      render: (_v, o) => <Link to={`/orders/${o.id}`}>{o.order_number}</Link>,
    },
    { title: t('common.status'), dataIndex: 'status', key: 's', render: (_v, o) => <StatusTag status={o.status} /> },
    { title: t('orders.total'), dataIndex: 'total_amount', key: 't', align: 'right', render: (_v, o) => money(o.total_amount) },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'c', render: (_v, o) => dateTime(o.created_at) },
  ];

  const back = (
    <Link to="/customers" aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );

  return (
    <>
      <PageHeader
        back={back}
        title={
          <>
            {c.name} {c.is_archived && <Tag>{t('customers.archivedTag')}</Tag>}
          </>
        }
        extra={
          <>
            <Link to={`/orders/new?customer=${c.id}`}>
              <Button type="primary">{t('nav.newOrder')}</Button>
            </Link>
            <Link to={`/customers/${c.id}/statement`} data-testid="customer-statement">
              <Button icon={<AccountBookOutlined />}>{t('customers.statement')}</Button>
            </Link>
            <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
            <Button onClick={() => toggle.mutate()} loading={toggle.isPending}>
              {c.is_archived ? t('customers.restore') : t('customers.archive')}
            </Button>
          </>
        }
      />
      <Row gutter={[16, 16]} className="section">
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('customers.orderCount')} value={c.order_count} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('customers.lifetimeTotal')} value={money(c.lifetime_total)} />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'phone', label: t('customers.phone'), children: c.phone ?? '—' },
                { key: 'email', label: t('customers.email'), children: c.email ?? '—' },
                { key: 'address', label: t('customers.address'), children: c.address ?? '—' },
                {
                  key: 'login',
                  label: t('customers.login'),
                  children: (
                    <span data-testid="customer-login">
                      {c.username ?? '—'}
                      {admin && (
                        <Button type="link" size="small" onClick={() => setLinking(true)} data-testid="link-login">
                          {c.user_id ? t('customers.changeLogin') : t('customers.linkLogin')}
                        </Button>
                      )}
                    </span>
                  ),
                },
                {
                  key: 'level',
                  label: t('priceLevels.level'),
                  children: c.price_level_name ? (
                    <Link to={`/price-levels?level=${c.price_level_id ?? ''}`} data-testid="customer-level">
                      {c.price_level_name}
                    </Link>
                  ) : (
                    '—'
                  ),
                },
                ...(c.invoice_title || c.invoice_tax_id
                  ? [
                      {
                        key: 'invoice',
                        label: t('customers.invoice'),
                        children: [c.invoice_title, c.invoice_tax_id].filter(Boolean).join(' · '),
                      },
                    ]
                  : []),
                ...(c.note ? [{ key: 'note', label: t('common.note'), children: c.note }] : []),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <AddressesCard customerId={c.id} />
      <Typography.Title level={4}>
        {t('customers.recentOrders')}{' '}
        <Link to={`/orders?customer_id=${c.id}`} style={{ fontSize: 14, fontWeight: 'normal' }}>
          {t('customers.allOrders')}
        </Link>
      </Typography.Title>
      <Table<Order>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={c.recent_orders}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
      />
      {editing && <CustomerFormModal customer={c} onClose={() => setEditing(false)} />}
      {linking && <LinkLoginModal customer={c} onClose={() => setLinking(false)} />}
    </>
  );
}
