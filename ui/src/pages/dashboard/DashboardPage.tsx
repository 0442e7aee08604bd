import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reportsApi } from '../../api/reports';
import type { Order, Product } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useDateTime, useMoney } from '../../lib/shop';
import { OrdersByStatusChart, RevenueChart } from './charts';

export default function DashboardPage() {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const stats = useQuery({ queryKey: ['stats'], queryFn: ({ signal }) => reportsApi.stats(signal) });
  const sales = useQuery({ queryKey: ['sales'], queryFn: ({ signal }) => reportsApi.sales(signal) });

  const orderColumns: TableColumnsType<Order> = [
    { title: t('orders.number'), key: 'n', render: (_v, o) => <Link to={`/orders/${o.id}`}>{o.order_number}</Link> },
    { title: t('orders.customer'), key: 'c', render: (_v, o) => o.customer_name ?? t('orders.walkIn') },
    { title: t('common.status'), key: 's', render: (_v, o) => <StatusTag status={o.status} /> },
    { title: t('orders.total'), key: 't', align: 'right', render: (_v, o) => money(o.total_amount) },
    { title: t('common.createdAt'), key: 'at', responsive: ['md'], render: (_v, o) => dateTime(o.created_at) },
  ];
  const lowColumns: TableColumnsType<Product> = [
    { title: t('products.name'), key: 'n', render: (_v, p) => <Link to={`/products/${p.id}`}>{p.name}</Link> },
    { title: t('products.sku'), dataIndex: 'sku', key: 's' },
    { title: t('products.stock'), dataIndex: 'stock_quantity', key: 'q', align: 'right' },
  ];

  return (
    <>
      <PageHeader title={t('nav.dashboard')} />
      <QueryView query={stats}>
        {(s) => (
          <>
            <Row gutter={[16, 16]} className="section">
              {(
                [
                  ['users', s.totals.users],
                  ['orders', s.totals.orders],
                  ['products', s.totals.products],
                  ['completed', s.totals.completed_orders],
                ] as const
              ).map(([key, value]) => (
                <Col xs={12} md={6} key={key}>
                  <Card>
                    <Statistic title={t(`dashboard.totals.${key}`)} value={value} data-testid={`total-${key}`} />
                  </Card>
                </Col>
              ))}
            </Row>
            <Row gutter={[16, 16]} className="section">
              <Col xs={24} lg={10}>
                <Card title={t('dashboard.ordersByStatus')}>
                  <OrdersByStatusChart rows={s.orders_by_status} />
                </Card>
              </Col>
              <Col xs={24} lg={14}>
                <Card title={t('dashboard.revenue30')}>
                  <QueryView query={sales}>
                    {(r) => (
                      <>
                        <Typography.Text type="secondary">
                          {t('dashboard.revenueTotal', { total: money(r.total_revenue), n: r.total_orders })}
                        </Typography.Text>
                        <RevenueChart rows={r.rows} money={money} />
                      </>
                    )}
                  </QueryView>
                </Card>
              </Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={14}>
                <Card title={t('dashboard.recentOrders')} extra={<Link to="/orders">{t('common.viewAll')}</Link>}>
                  <Table<Order>
                    rowKey="id"
                    size="small"
                    columns={orderColumns}
                    dataSource={s.recent_orders}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    locale={{ emptyText: <EmptyState /> }}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={10}>
                <Card
                  title={t('dashboard.lowStock')}
                  extra={<Link to="/products?low_stock=true">{t('common.viewAll')}</Link>}
                >
                  <Table<Product>
                    rowKey="id"
                    size="small"
                    columns={lowColumns}
                    dataSource={s.low_stock_products}
                    pagination={false}
                    locale={{ emptyText: <EmptyState description={t('dashboard.noLowStock')} /> }}
                  />
                </Card>
              </Col>
            </Row>
          </>
        )}
      </QueryView>
    </>
  );
}
