import { useQuery } from '@tanstack/react-query';
import { Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reportCsvUrl, reportsApi } from '../../api/reports';
import type { ReceivableRow, ReceivablesReport } from '../../api/types';
import { CsvLink, useFileLang } from '../../components/Downloads';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { centsOf } from '../../lib/money';
import { AGE_BUCKETS } from '../../lib/receivables';
import { dayIn } from '../../lib/reportRange';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';

/** Who owes the shop what, and since when: the list to chase payments from. */
export default function ReceivablesPage() {
  const { t } = useTranslation();
  const lang = useFileLang();
  const query = useQuery({ queryKey: ['reports', 'receivables'], queryFn: ({ signal }) => reportsApi.receivables(signal) });
  return (
    <>
      <PageHeader
        title={t('nav.receivables')}
        extra={<CsvLink href={reportCsvUrl('receivables', {}, lang)} label={t('reports.downloadCsv')} testId="receivables-csv" />}
      />
      <Typography.Paragraph type="secondary" data-testid="receivables-help">
        {t('receivables.help')}
      </Typography.Paragraph>
      <QueryView
        query={query}
        isEmpty={(r) => r.rows.length === 0}
        empty={
          <div data-testid="receivables-empty">
            <EmptyState description={t('receivables.none')} />
          </div>
        }
      >
        {(r) => <ReceivablesTable report={r} />}
      </QueryView>
    </>
  );
}

function ReceivablesTable({ report }: { report: ReceivablesReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const timeZone = useSettings().data?.time_zone;
  const totals = report.totals;

  // Walk-in orders have nobody to send a statement to.
  const customer = (r: ReceivableRow) =>
    r.customer_id ? (
      <Link to={`/customers/${r.customer_id}/statement`}>{r.customer_name ?? `#${r.customer_id}`}</Link>
    ) : (
      <Tag>{t('orders.walkIn')}</Tag>
    );
  const amount = (value: string, testId?: string) => (
    <Typography.Text className="nowrap" type={centsOf(value) === 0n ? 'secondary' : undefined} data-testid={testId}>
      {money(value)}
    </Typography.Text>
  );
  const owedCell = (value: string, testId: string) => <strong>{amount(value, testId)}</strong>;
  const oldest = (r: ReceivableRow) => dayIn(r.oldest_order_at, timeZone);

  // A phone: the customer with their phone and oldest order under the name, what they owe and
  // in how many orders beside it; the ages are left to wider screens and the CSV file.
  const columns: TableColumnsType<ReceivableRow> = phone
    ? [
        {
          title: t('orders.customer'),
          key: 'customer',
          render: (_v, r) => (
            <Flex vertical gap={2} align="flex-start">
              {customer(r)}
              {r.phone && <Typography.Text type="secondary">{r.phone}</Typography.Text>}
              <Typography.Text type="secondary" className="hint">
                {t('receivables.oldestOn', { day: oldest(r) })}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('receivables.owed'),
          key: 'owed',
          align: 'right',
          render: (_v, r) => (
            <Flex vertical gap={2} align="flex-end">
              {owedCell(r.owed, 'row-owed')}
              <Typography.Text type="secondary">{t('customers.ordersN', { n: r.orders })}</Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        { title: t('orders.customer'), key: 'customer', render: (_v, r) => customer(r) },
        { title: t('customers.phone'), key: 'phone', render: (_v, r) => r.phone ?? '—' },
        { title: t('receivables.orders'), dataIndex: 'orders', key: 'orders', align: 'right' },
        { title: t('receivables.owed'), key: 'owed', align: 'right', render: (_v, r) => owedCell(r.owed, 'row-owed') },
        ...AGE_BUCKETS.map((b) => ({
          title: t(`receivables.${b}`),
          key: b,
          align: 'right' as const,
          render: (_v: unknown, r: ReceivableRow) => amount(r[b], `row-${b}`),
        })),
        { title: t('receivables.oldest'), key: 'oldest', render: (_v, r) => oldest(r) },
      ];

  const summary = () => (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0} colSpan={phone ? 1 : 2}>
        <strong>{t('receivables.total')}</strong>
      </Table.Summary.Cell>
      {!phone && (
        <Table.Summary.Cell index={2} align="right">
          <strong data-testid="receivables-total-orders">{totals.orders}</strong>
        </Table.Summary.Cell>
      )}
      <Table.Summary.Cell index={phone ? 1 : 3} align="right">
        {owedCell(totals.owed, 'receivables-total-owed')}
      </Table.Summary.Cell>
      {!phone &&
        AGE_BUCKETS.map((b, i) => (
          <Table.Summary.Cell key={b} index={4 + i} align="right">
            <strong>{amount(totals[b], `receivables-total-${b}`)}</strong>
          </Table.Summary.Cell>
        ))}
      {!phone && <Table.Summary.Cell index={8} />}
    </Table.Summary.Row>
  );

  return (
    <>
      <Typography.Paragraph type="secondary" className="hint" data-testid="receivables-as-of">
        {t('receivables.asOf', { time: dateTime(report.as_of) })}
      </Typography.Paragraph>
      <Table<ReceivableRow>
        rowKey={(r) => r.customer_id ?? 'walk-in'}
        size="small"
        columns={columns}
        dataSource={report.rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={phone ? undefined : { x: 'max-content' }}
        summary={summary}
        data-testid="receivables-table"
      />
    </>
  );
}
