import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Flex, Row, Segmented, Select, Statistic, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reportCsvUrl, reportsApi } from '../../api/reports';
import type { ReportName, ReportRange } from '../../api/reports';
import type {
  CustomerSalesRow,
  MarginGrouping,
  MarginRow,
  Product,
  ProductSalesRow,
  SalesGrouping,
  SalesRow,
  StatusRow,
  TaxRow,
} from '../../api/types';
import { OrdersByStatusChart, SalesChart, TopProductsChart } from '../../components/charts';
import { DayRangePicker } from '../../components/DayRangePicker';
import { CsvLink, useFileLang } from '../../components/Downloads';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useListParams } from '../../lib/listing';
import { formatMargin, hasUnknownCost, isLoss } from '../../lib/margins';
import { averageCents } from '../../lib/money';
import { reportRange, todayIn } from '../../lib/reportRange';
import type { DayRange } from '../../lib/reportRange';
import { useMoney, useSettings } from '../../lib/shop';
import { StockCell } from '../products/ProductTags';

const TABS = ['sales', 'products', 'customers', 'margins', 'status', 'tax', 'lowStock'] as const;
type Tab = (typeof TABS)[number];
const GROUPS: readonly SalesGrouping[] = ['day', 'week', 'month'];
const MARGIN_BYS: readonly MarginGrouping[] = ['day', 'product', 'category'];
const LIMITS = [10, 20, 50, 100] as const;
const DEFAULT_LIMIT = 20;

function isTab(v: string | undefined): v is Tab {
  return (TABS as readonly string[]).includes(v ?? '');
}

function isGroup(v: string | undefined): v is SalesGrouping {
  return (GROUPS as readonly string[]).includes(v ?? '');
}

function isMarginBy(v: string | undefined): v is MarginGrouping {
  return (MARGIN_BYS as readonly string[]).includes(v ?? '');
}

/** A report in its card: title, a CSV download of the same rows, then the report. */
function ReportCard({
  title,
  report,
  query,
  help,
  extra,
  children,
}: {
  title: string;
  report: ReportName;
  query: ReportRange & Record<string, string | number | undefined>;
  help?: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useFileLang();
  return (
    <Card
      title={title}
      data-testid={`report-${report}`}
      extra={
        <Flex gap={8} wrap align="center">
          {extra}
          <CsvLink
            href={reportCsvUrl(report, query, lang)}
            label={t('reports.downloadCsv')}
            ariaLabel={t('reports.downloadCsvOf', { report: title })}
            testId="report-csv"
          />
        </Flex>
      }
    >
      {help && (
        <Typography.Paragraph type="secondary" className="hint">
          {help}
        </Typography.Paragraph>
      )}
      {children}
    </Card>
  );
}

function LimitSelect({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <Select<number>
      value={value}
      onChange={onChange}
      options={LIMITS.map((n) => ({ value: n, label: t('reports.topN', { n }) }))}
      aria-label={t('reports.limit')}
      style={{ width: 110 }}
      data-testid="report-limit"
    />
  );
}

function SalesReport({ range, group, onGroup }: { range: DayRange; group: SalesGrouping; onGroup: (g: SalesGrouping) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to, group };
  const query = useQuery({
    queryKey: ['reports', 'sales', params],
    queryFn: ({ signal }) => reportsApi.sales(params, signal),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<SalesRow> = [
    { title: t('reports.period'), dataIndex: 'period', key: 'period' },
    { title: t('reports.orders'), dataIndex: 'orders', key: 'orders', align: 'right' },
    { title: t('reports.revenue'), key: 'revenue', align: 'right', render: (_v, r) => money(r.revenue) },
  ];
  return (
    <ReportCard
      title={t('reports.tabs.sales')}
      report="sales"
      query={params}
      extra={
        <Segmented<SalesGrouping>
          value={group}
          onChange={onGroup}
          options={GROUPS.map((g) => ({ value: g, label: t(`reports.group.${g}`) }))}
          aria-label={t('reports.groupLabel')}
          data-testid="report-group"
        />
      }
    >
      <QueryView query={query}>
        {(r) => {
          const average = averageCents(r.total_revenue, r.total_orders);
          return (
            <>
              <Typography.Paragraph type="secondary">
                {t('reports.days', { from: r.first_day, to: r.last_day })}
              </Typography.Paragraph>
              <Row gutter={[16, 16]} className="section" data-testid="sales-totals">
                <Col xs={24} sm={8}>
                  <Statistic title={t('reports.totalRevenue')} value={money(r.total_revenue)} data-testid="sales-total" />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('reports.totalOrders')} value={r.total_orders} data-testid="sales-orders" />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('reports.averageOrder')} value={average === null ? '—' : money(average)} />
                </Col>
              </Row>
              {r.total_orders === 0 ? (
                <EmptyState description={t('reports.noSales')} />
              ) : (
                <>
                  <SalesChart rows={r.rows} money={money} label={t('reports.salesChart')} />
                  <Table<SalesRow>
                    rowKey="period"
                    size="small"
                    className="section-top"
                    columns={columns}
                    dataSource={r.rows.filter((row) => row.orders > 0)}
                    pagination={{ pageSize: 10, hideOnSinglePage: true }}
                    scroll={{ x: 'max-content' }}
                  />
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </ReportCard>
  );
}

function ProductsReport({ range, limit, onLimit }: { range: DayRange; limit: number; onLimit: (n: number) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to, limit };
  const query = useQuery({
    queryKey: ['reports', 'products', params],
    queryFn: ({ signal }) => reportsApi.products(params, signal),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<ProductSalesRow> = [
    { title: t('reports.rank'), key: 'rank', width: 64, render: (_v, _r, i) => i + 1 },
    { title: t('products.sku'), dataIndex: 'sku', key: 'sku' },
    {
      title: t('products.name'),
      key: 'name',
      render: (_v, r) => <Link to={`/products/${r.product_id}`}>{r.name}</Link>,
    },
    { title: t('reports.quantity'), dataIndex: 'quantity', key: 'quantity', align: 'right' },
    { title: t('reports.orders'), dataIndex: 'orders', key: 'orders', align: 'right' },
    { title: t('reports.revenue'), key: 'revenue', align: 'right', render: (_v, r) => money(r.revenue) },
  ];
  return (
    <ReportCard
      title={t('reports.tabs.products')}
      report="products"
      query={params}
      extra={<LimitSelect value={limit} onChange={onLimit} />}
    >
      <QueryView query={query}>
        {(rows) => (
          <>
            {rows.length > 0 && (
              <div className="section">
                <Typography.Text strong>{t('reports.topChart')}</Typography.Text>
                <TopProductsChart rows={rows.slice(0, 10)} money={money} label={t('reports.topChart')} />
              </div>
            )}
            <Table<ProductSalesRow>
              rowKey="product_id"
              size="small"
              columns={columns}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <EmptyState description={t('reports.noSales')} /> }}
            />
          </>
        )}
      </QueryView>
    </ReportCard>
  );
}

function CustomersReport({ range, limit, onLimit }: { range: DayRange; limit: number; onLimit: (n: number) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to, limit };
  const query = useQuery({
    queryKey: ['reports', 'top-customers', params],
    queryFn: ({ signal }) => reportsApi.topCustomers(params, signal),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<CustomerSalesRow> = [
    { title: t('reports.rank'), key: 'rank', width: 64, render: (_v, _r, i) => i + 1 },
    {
      title: t('orders.customer'),
      key: 'name',
      render: (_v, r) => <Link to={`/customers/${r.customer_id}`}>{r.name}</Link>,
    },
    { title: t('reports.orders'), dataIndex: 'orders', key: 'orders', align: 'right' },
    { title: t('reports.revenue'), key: 'revenue', align: 'right', render: (_v, r) => money(r.revenue) },
  ];
  return (
    <ReportCard
      title={t('reports.tabs.customers')}
      report="top-customers"
      query={params}
      extra={<LimitSelect value={limit} onChange={onLimit} />}
    >
      <QueryView query={query}>
        {(rows) => (
          <Table<CustomerSalesRow>
            rowKey="customer_id"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState description={t('reports.noSales')} /> }}
          />
        )}
      </QueryView>
    </ReportCard>
  );
}

/**
 * Gross margin per day, product or category. Lines sold without a known cost price are left
 * out of revenue, cost and margin (the server reports what they sold for apart): the report
 * says so rather than count them as free. The server has no CSV form of it yet.
 */
function MarginsReport({ range, by, onBy }: { range: DayRange; by: MarginGrouping; onBy: (b: MarginGrouping) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to, by };
  const query = useQuery({
    queryKey: ['reports', 'margins', params],
    queryFn: ({ signal }) => reportsApi.margins(params, signal),
    placeholderData: keepPreviousData,
  });
  const amount = (v: string, testId?: string) => (
    <span className="nowrap" data-testid={testId}>
      {money(v)}
    </span>
  );
  const profit = (r: MarginRow, testId?: string) => (
    <Typography.Text type={isLoss(r) ? 'danger' : undefined} className="nowrap" data-testid={testId}>
      {money(r.gross_profit)}
    </Typography.Text>
  );
  const nameOf = (r: MarginRow) => {
    if (by === 'product' && r.key) return <Link to={`/products/${r.key}`}>{r.name || `#${r.key}`}</Link>;
    if (by === 'category' && !r.key) return t('margins.noCategory');
    return r.name || r.key;
  };
  const title = by === 'day' ? t('margins.day') : by === 'product' ? t('margins.product') : t('margins.category');

  return (
    <ReportCard
      title={t('margins.title')}
      report="margins"
      query={params}
      help={t('margins.help')}
      extra={
        <Segmented<MarginGrouping>
          value={by}
          onChange={onBy}
          options={MARGIN_BYS.map((b) => ({ value: b, label: t(`margins.by.${b}`) }))}
          aria-label={t('margins.byLabel')}
          data-testid="margins-by"
        />
      }
    >
      <QueryView query={query}>
        {(r) => {
          const unknown = hasUnknownCost(r.total);
          const columns: TableColumnsType<MarginRow> = [
            { title, key: 'name', render: (_v, row) => nameOf(row) },
            { title: t('margins.quantity'), dataIndex: 'quantity', key: 'quantity', align: 'right' },
            { title: t('margins.revenue'), key: 'revenue', align: 'right', render: (_v, row) => amount(row.revenue) },
            { title: t('margins.cost'), key: 'cost', align: 'right', render: (_v, row) => amount(row.cost) },
            { title: t('margins.grossProfit'), key: 'profit', align: 'right', render: (_v, row) => profit(row) },
            {
              title: t('margins.margin'),
              key: 'margin',
              align: 'right',
              render: (_v, row) => <span className="nowrap">{formatMargin(row.margin_bp)}</span>,
            },
            // Only when some sales had no cost price: what they sold for, outside the margin.
            ...(unknown
              ? [
                  {
                    title: t('margins.withoutCost'),
                    key: 'without-cost',
                    align: 'right' as const,
                    render: (_v: unknown, row: MarginRow) =>
                      hasUnknownCost(row) ? (
                        <Typography.Text type="warning" className="nowrap">
                          {money(row.revenue_without_cost)}
                        </Typography.Text>
                      ) : (
                        '—'
                      ),
                  },
                ]
              : []),
          ];
          return (
            <>
              <Typography.Paragraph type="secondary">
                {t('reports.days', { from: r.first_day, to: r.last_day })}
              </Typography.Paragraph>
              <Row gutter={[16, 16]} className="section" data-testid="margins-totals">
                <Col xs={24} sm={8}>
                  <Statistic title={t('margins.grossProfit')} value={money(r.total.gross_profit)} data-testid="margins-profit" />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('margins.margin')} value={formatMargin(r.total.margin_bp)} data-testid="margins-margin" />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('margins.revenue')} value={money(r.total.revenue)} />
                </Col>
              </Row>
              {unknown && (
                <Alert
                  type="warning"
                  showIcon
                  className="section"
                  title={t('margins.unknownCostTitle')}
                  description={t('margins.unknownCost', { amount: money(r.total.revenue_without_cost) })}
                  data-testid="margins-unknown-cost"
                />
              )}
              <Table<MarginRow>
                rowKey="key"
                size="small"
                columns={columns}
                dataSource={r.rows}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: <EmptyState description={t('margins.noSales')} /> }}
                data-testid="margins-table"
                summary={() =>
                  r.rows.length > 0 && (
                    <Table.Summary.Row data-testid="margins-total">
                      <Table.Summary.Cell index={0}>
                        <strong>{t('margins.total')}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={1} align="right">
                        <strong>{r.total.quantity}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={2} align="right">
                        <strong>{amount(r.total.revenue, 'margins-total-revenue')}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={3} align="right">
                        <strong>{amount(r.total.cost, 'margins-total-cost')}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={4} align="right">
                        <strong>{profit(r.total, 'margins-total-profit')}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={5} align="right">
                        <strong className="nowrap" data-testid="margins-total-margin">
                          {formatMargin(r.total.margin_bp)}
                        </strong>
                      </Table.Summary.Cell>
                      {unknown && (
                        <Table.Summary.Cell index={6} align="right">
                          <Typography.Text type="warning" strong className="nowrap" data-testid="margins-total-without-cost">
                            {money(r.total.revenue_without_cost)}
                          </Typography.Text>
                        </Table.Summary.Cell>
                      )}
                    </Table.Summary.Row>
                  )
                }
              />
            </>
          );
        }}
      </QueryView>
    </ReportCard>
  );
}

function StatusReport({ range }: { range: DayRange }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to };
  const query = useQuery({
    queryKey: ['reports', 'orders-by-status', params],
    queryFn: ({ signal }) => reportsApi.ordersByStatus(params, signal),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<StatusRow> = [
    { title: t('common.status'), key: 'status', render: (_v, r) => <StatusTag status={r.status} /> },
    { title: t('reports.orders'), dataIndex: 'count', key: 'count', align: 'right' },
    { title: t('reports.amount'), key: 'amount', align: 'right', render: (_v, r) => money(r.total_amount) },
  ];
  return (
    <ReportCard title={t('reports.tabs.status')} report="orders-by-status" query={params} help={t('reports.statusHelp')}>
      <QueryView query={query}>
        {(rows) => (
          <Row gutter={[24, 16]}>
            <Col xs={24} lg={12}>
              <OrdersByStatusChart rows={rows} label={t('reports.statusChart')} />
            </Col>
            <Col xs={24} lg={12}>
              <Table<StatusRow>
                rowKey="status"
                size="small"
                columns={columns}
                dataSource={rows}
                pagination={false}
                scroll={{ x: 'max-content' }}
              />
            </Col>
          </Row>
        )}
      </QueryView>
    </ReportCard>
  );
}

function TaxReport({ range }: { range: DayRange }) {
  const { t } = useTranslation();
  const money = useMoney();
  const params = { date_from: range.from, date_to: range.to };
  const query = useQuery({
    queryKey: ['reports', 'tax', params],
    queryFn: ({ signal }) => reportsApi.tax(params, signal),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<TaxRow> = [
    { title: t('reports.taxRate'), key: 'rate', render: (_v, r) => `${r.tax_rate}%` },
    { title: t('reports.orders'), dataIndex: 'orders', key: 'orders', align: 'right' },
    { title: t('reports.netAmount'), key: 'net', align: 'right', render: (_v, r) => money(r.net_amount) },
    { title: t('reports.taxAmount'), key: 'tax', align: 'right', render: (_v, r) => money(r.tax_amount) },
    { title: t('reports.grossAmount'), key: 'gross', align: 'right', render: (_v, r) => money(r.gross_amount) },
  ];
  return (
    <ReportCard title={t('reports.tabs.tax')} report="tax" query={params} help={t('reports.taxHelp')}>
      <QueryView query={query}>
        {(rows) => (
          <Table<TaxRow>
            rowKey="tax_rate"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState description={t('reports.noTax')} /> }}
            data-testid="tax-report"
          />
        )}
      </QueryView>
    </ReportCard>
  );
}

function LowStockReport() {
  const { t } = useTranslation();
  const settings = useSettings();
  const query = useQuery({
    queryKey: ['reports', 'low-stock'],
    queryFn: ({ signal }) => reportsApi.lowStock({}, signal),
  });
  const columns: TableColumnsType<Product> = [
    { title: t('products.sku'), dataIndex: 'sku', key: 'sku' },
    { title: t('products.name'), key: 'name', render: (_v, p) => <Link to={`/products/${p.id}`}>{p.name}</Link> },
    { title: t('products.stock'), key: 'stock', align: 'right', render: (_v, p) => <StockCell product={p} /> },
    {
      title: t('reports.threshold'),
      key: 'threshold',
      align: 'right',
      render: (_v, p) =>
        p.low_stock_threshold ??
        t('products.defaultThreshold', { n: settings.data?.default_low_stock_threshold ?? '—' }),
    },
  ];
  return (
    <ReportCard title={t('reports.tabs.lowStock')} report="low-stock" query={{}} help={t('reports.lowStockHelp')}>
      <QueryView query={query}>
        {(rows) => (
          <Table<Product>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState description={t('reports.noLowStock')} /> }}
          />
        )}
      </QueryView>
    </ReportCard>
  );
}

/** Sales, best sellers, best customers, orders per status and low stock, over chosen days. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const settings = useSettings();
  const list = useListParams();
  const today = todayIn(settings.data?.time_zone);
  const range = reportRange(list.get('date_from'), list.get('date_to'), today);
  const tabParam = list.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'sales';
  const groupParam = list.get('group');
  const group: SalesGrouping = isGroup(groupParam) ? groupParam : 'day';
  const limitParam = list.getInt('limit');
  const limit = LIMITS.find((n) => n === limitParam) ?? DEFAULT_LIMIT;
  const byParam = list.get('by');
  const marginBy: MarginGrouping = isMarginBy(byParam) ? byParam : 'day';

  const picker = (
    <DayRangePicker range={range} today={today} onChange={(r) => list.set({ date_from: r.from, date_to: r.to })} />
  );

  const panes: Record<Tab, ReactNode> = {
    sales: <SalesReport range={range} group={group} onGroup={(g) => list.set({ group: g === 'day' ? undefined : g })} />,
    products: <ProductsReport range={range} limit={limit} onLimit={(n) => list.set({ limit: n })} />,
    customers: <CustomersReport range={range} limit={limit} onLimit={(n) => list.set({ limit: n })} />,
    margins: <MarginsReport range={range} by={marginBy} onBy={(b) => list.set({ by: b === 'day' ? undefined : b })} />,
    status: <StatusReport range={range} />,
    tax: <TaxReport range={range} />,
    lowStock: <LowStockReport />,
  };

  return (
    <>
      <PageHeader title={t('nav.reports')} extra={picker} />
      <Typography.Paragraph type="secondary" data-testid="reports-help">
        {t('reports.help')}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => list.set({ tab: k === 'sales' ? undefined : k })}
        items={TABS.map((k) => ({
          key: k,
          label: k === 'margins' ? t('margins.tab') : t(`reports.tabs.${k}`),
          children: panes[k],
        }))}
        data-testid="report-tabs"
      />
    </>
  );
}
