import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Col, Row, Segmented, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reportsApi } from '../../api/reports';
import type { MarginGrouping, MarginRow } from '../../api/types';
import { EmptyState, QueryView } from '../../components/States';
import { formatMargin, hasUnknownCost, isLoss } from '../../lib/margins';
import type { DayRange } from '../../lib/reportRange';
import { useMoney } from '../../lib/shop';
import { ReportCard } from './ReportCard';

const MARGIN_BYS: readonly MarginGrouping[] = ['day', 'product', 'category'];

/** Whether a ?by= value is a margins grouping. */
export function isMarginBy(v: string | undefined): v is MarginGrouping {
  return (MARGIN_BYS as readonly string[]).includes(v ?? '');
}

/** Gross margin by day, product or category over the range, the total last. */
export function MarginsReport({ range, by, onBy }: { range: DayRange; by: MarginGrouping; onBy: (b: MarginGrouping) => void }) {
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
