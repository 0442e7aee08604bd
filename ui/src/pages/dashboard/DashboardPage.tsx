import { CheckCircleFilled, DownloadOutlined, MinusCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STATS_KEY, reportsApi } from '../../api/reports';
import { exportUrl } from '../../api/transfer';
import type { GettingStarted, Order, Product, Stats } from '../../api/types';
import { useUser } from '../../auth/session';
import { OrdersByStatusChart, SalesChart } from '../../components/charts';
import { useFileLang } from '../../components/Downloads';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { StatusTag } from '../../components/StatusTag';
import { methodLabel } from '../../lib/payments';
import { todayIn } from '../../lib/reportRange';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';

/** One number of the first row; with `to`, the whole tile opens the list behind it. */
function Tile({
  id,
  title,
  value,
  hint,
  to,
  alert,
}: {
  id: string;
  title: string;
  value: string | number;
  hint?: string;
  to?: string;
  /** Draws attention to a number that asks for work (orders waiting, stock running out). */
  alert?: 'warning' | 'danger';
}) {
  const color = alert === 'danger' ? '#cf1322' : alert === 'warning' ? '#d46b08' : undefined;
  const card = (
    <Card hoverable={to !== undefined} className="tile" data-testid={`tile-${id}`}>
      <Statistic title={title} value={value} styles={{ content: color ? { color } : undefined }} />
      {hint && (
        <Typography.Text type="secondary" className="hint">
          {hint}
        </Typography.Text>
      )}
    </Card>
  );
  return to ? (
    <Link to={to} className="tile-link">
      {card}
    </Link>
  ) : (
    card
  );
}

function TodayTiles({ s }: { s: Stats }) {
  const { t } = useTranslation();
  const money = useMoney();
  const today = todayIn(useSettings().data?.time_zone);
  // Today's gross profit comes to admins only (null for staff): a sixth tile, and every tile
  // a little narrower so that they still fill whole rows.
  const profit = s.today.gross_profit ?? null;
  const six = profit !== null;
  const span = (xs: number, sm: number, lg: number) =>
    six ? { xs: 12, sm: 8, lg: 8, xl: { flex: '16.66%' } } : { xs, sm, lg, xl: { flex: '20%' } };
  return (
    <Row gutter={[16, 16]} className="section">
      <Col {...span(24, 12, 8)}>
        <Tile
          id="today-sales"
          title={t('dashboard.todaySales')}
          value={money(s.today.sales)}
          hint={t('dashboard.todaySaleOrders', { n: s.today.sale_orders })}
        />
      </Col>
      {profit !== null && (
        <Col {...span(12, 12, 8)}>
          <Tile
            id="today-profit"
            title={t('margins.todayProfit')}
            value={money(profit)}
            hint={t('margins.todayProfitHint')}
            to={`/reports?tab=margins&date_from=${today}&date_to=${today}`}
          />
        </Col>
      )}
      <Col {...span(12, 12, 8)}>
        <Tile id="today-orders" title={t('dashboard.todayOrders')} value={s.today.orders} />
      </Col>
      <Col {...span(12, 8, 8)}>
        <Tile
          id="to-confirm"
          title={t('dashboard.toConfirm')}
          value={s.to_confirm}
          to="/orders?status=pending"
          alert={s.to_confirm > 0 ? 'warning' : undefined}
        />
      </Col>
      <Col {...span(12, 8, 12)}>
        <Tile
          id="to-ship"
          title={t('dashboard.toShip')}
          value={s.to_ship}
          to="/orders?status=confirmed"
          alert={s.to_ship > 0 ? 'warning' : undefined}
        />
      </Col>
      <Col {...span(12, 8, 12)}>
        <Tile
          id="low-stock"
          title={t('dashboard.lowStockCount')}
          value={s.low_stock_count}
          to="/products?low_stock=true"
          alert={s.low_stock_count > 0 ? 'danger' : undefined}
        />
      </Col>
    </Row>
  );
}

type Takings = Stats['today']['takings'][number];

/** Today's money by method (received less refunded), and what customers still owe. */
function MoneyRow({ s }: { s: Stats }) {
  const { t } = useTranslation();
  const money = useMoney();
  const lang = useFileLang();
  const today = todayIn(useSettings().data?.time_zone);
  const columns: TableColumnsType<Takings> = [
    { title: t('payments.method'), key: 'method', render: (_v, r) => methodLabel(r.method, t) },
    {
      title: t('payments.amount'),
      key: 'amount',
      align: 'right',
      render: (_v, r) => (
        <span className="nowrap" data-testid="takings-amount">
          {money(r.amount)}
        </span>
      ),
    },
  ];
  const exportToday = exportUrl('payments', { date_from: today, date_to: today }, lang);
  return (
    <Row gutter={[16, 16]} className="section">
      <Col xs={24} lg={14}>
        <Card
          title={t('dashboard.takings')}
          data-testid="takings"
          extra={
            <a href={exportToday} download data-testid="export-takings" title={t('dashboard.exportTakings')}>
              <DownloadOutlined /> {t('transfer.exportCsv')}
            </a>
          }
        >
          <Table<Takings>
            rowKey="method"
            size="small"
            columns={columns}
            dataSource={s.today.takings}
            pagination={false}
            locale={{ emptyText: <EmptyState description={t('dashboard.noTakings')} /> }}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('dashboard.takingsTotal')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <strong className="nowrap" data-testid="takings-total">
                    {money(s.today.takings_total)}
                  </strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          <Typography.Text type="secondary" className="hint">
            {t('dashboard.takingsHint')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('dashboard.receivable')} data-testid="receivable" className="tile">
          <Statistic value={money(s.receivable.amount)} styles={{ content: { color: '#d46b08' } }} />
          <Typography.Paragraph data-testid="receivable-orders">
            {t('dashboard.receivableOrders', { n: s.receivable.orders })}
          </Typography.Paragraph>
          <Flex gap={16} wrap className="toolbar">
            <Link to="/receivables" data-testid="receivable-by-customer">
              {t('dashboard.receivableByCustomer')}
            </Link>
            <Link to="/orders?payment_status=unpaid" data-testid="receivable-unpaid">
              {t('paymentStatus.unpaid')}
            </Link>
            <Link to="/orders?payment_status=partially_paid" data-testid="receivable-partial">
              {t('paymentStatus.partially_paid')}
            </Link>
          </Flex>
          <Typography.Text type="secondary" className="hint">
            {t('dashboard.receivableHint')}
          </Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}

/** What a new shop still has to do, each step ticked once done. */
function GettingStartedCard({ g }: { g: GettingStarted }) {
  const { t } = useTranslation();
  const admin = atLeast(useUser().role, 'admin');
  const steps = [
    // The settings are for admins: staff see the step without a link.
    { key: 'shopNamed', done: g.shop_named, to: admin ? '/settings' : undefined },
    { key: 'products', done: g.has_products, to: '/products' },
    { key: 'firstOrder', done: g.has_orders, to: '/orders/new' },
  ] as const;
  return (
    <Card title={t('dashboard.gettingStarted.title')} className="section" data-testid="getting-started">
      <Typography.Paragraph type="secondary">{t('dashboard.gettingStarted.intro')}</Typography.Paragraph>
      <ol className="checklist">
        {steps.map((s) => {
          const label = t(`dashboard.gettingStarted.${s.key}`);
          return (
            <li key={s.key} data-done={s.done} data-testid={`step-${s.key}`}>
              {s.done ? (
                <CheckCircleFilled className="checklist-done" aria-hidden />
              ) : (
                <MinusCircleOutlined className="checklist-todo" aria-hidden />
              )}
              {s.to && !s.done ? <Link to={s.to}>{label}</Link> : <span className={s.done ? 'done' : undefined}>{label}</span>}
              <span className="visually-hidden">
                {' '}
                ({s.done ? t('dashboard.gettingStarted.done') : t('dashboard.gettingStarted.todo')})
              </span>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

/** "How is today going": today's sales, what waits to be done, and the last 30 days. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const stats = useQuery({ queryKey: STATS_KEY, queryFn: ({ signal }) => reportsApi.stats(signal) });
  const sales = useQuery({ queryKey: ['sales', 'dashboard'], queryFn: ({ signal }) => reportsApi.sales({ group: 'day' }, signal) });

  // Phones (xs): each order in one column with its status and total on the right.
  const orderColumns: TableColumnsType<Order> = [
    {
      title: t('orders.order'),
      key: 'summary',
      responsive: ['xs'],
      render: (_v, o) => (
        <Flex vertical gap={2} align="flex-start">
          <Link to={`/orders/${o.id}`}>{o.order_number}</Link>
          <Typography.Text type="secondary">{o.customer_name ?? t('orders.walkIn')}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('orders.total'),
      key: 'status-total',
      align: 'right',
      responsive: ['xs'],
      render: (_v, o) => (
        <Flex vertical gap={4} align="flex-end">
          <StatusTag status={o.status} />
          <span className="nowrap" data-testid="recent-total">
            {money(o.total_amount)}
          </span>
        </Flex>
      ),
    },
    {
      title: t('orders.number'),
      key: 'n',
      responsive: ['sm'],
      render: (_v, o) => <Link to={`/orders/${o.id}`}>{o.order_number}</Link>,
    },
    { title: t('orders.customer'), key: 'c', responsive: ['sm'], render: (_v, o) => o.customer_name ?? t('orders.walkIn') },
    { title: t('common.status'), key: 's', responsive: ['sm'], render: (_v, o) => <StatusTag status={o.status} /> },
    {
      title: t('orders.total'),
      key: 't',
      align: 'right',
      responsive: ['sm'],
      render: (_v, o) => (
        <span className="nowrap" data-testid="recent-total">
          {money(o.total_amount)}
        </span>
      ),
    },
    { title: t('common.createdAt'), key: 'at', responsive: ['md'], render: (_v, o) => dateTime(o.created_at) },
  ];
  const lowColumns: TableColumnsType<Product> = [
    {
      title: t('products.name'),
      key: 'n',
      render: (_v, p) => (
        <Flex vertical gap={0} align="flex-start">
          <Link to={`/products/${p.id}`}>{p.name}</Link>
          <Typography.Text type="secondary">{p.sku}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('products.stock'),
      dataIndex: 'stock_quantity',
      key: 'q',
      align: 'right',
      render: (_v, p) => (
        <span className="stock-low" data-testid="low-stock-qty">
          {p.stock_quantity}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('nav.dashboard')} extra={<Link to="/reports">{t('dashboard.viewReports')}</Link>} />
      <QueryView query={stats}>
        {(s) => {
          const empty = !s.getting_started.has_products || !s.getting_started.has_orders;
          return (
            <>
              <TodayTiles s={s} />
              <MoneyRow s={s} />
              {empty ? (
                <GettingStartedCard g={s.getting_started} />
              ) : (
                <Row gutter={[16, 16]} className="section">
                  <Col xs={24} lg={10}>
                    <Card title={t('dashboard.ordersByStatus')}>
                      <OrdersByStatusChart rows={s.orders_by_status} label={t('dashboard.ordersByStatus')} />
                    </Card>
                  </Col>
                  <Col xs={24} lg={14}>
                    <Card title={t('dashboard.revenue30')}>
                      <QueryView query={sales}>
                        {(r) => (
                          <>
                            <Typography.Text type="secondary">
                              {t('dashboard.revenueTotal', { total: money(r.total_revenue), n: r.total_orders })}
                              {' · '}
                              {t('dashboard.salesHint')}
                            </Typography.Text>
                            <SalesChart rows={r.rows} money={money} label={t('dashboard.revenue30')} />
                          </>
                        )}
                      </QueryView>
                    </Card>
                  </Col>
                </Row>
              )}
              <Row gutter={[16, 16]}>
                <Col xs={24} lg={14}>
                  <Card title={t('dashboard.recentOrders')} extra={<Link to="/orders">{t('common.viewAll')}</Link>}>
                    <Table<Order>
                      rowKey="id"
                      size="small"
                      columns={orderColumns}
                      dataSource={s.recent_orders}
                      pagination={false}
                      scroll={phone ? undefined : { x: 'max-content' }}
                      locale={{ emptyText: <EmptyState /> }}
                      data-testid="recent-orders"
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
          );
        }}
      </QueryView>
    </>
  );
}
