import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { customersApi, statementCsvUrl } from '../../api/customers';
import type { Statement, StatementEntry } from '../../api/types';
import { useUser } from '../../auth/session';
import { DayRangePicker } from '../../components/DayRangePicker';
import { CsvLink, useFileLang } from '../../components/Downloads';
import { NotFound } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { positiveInt, useListParams } from '../../lib/listing';
import { methodLabel } from '../../lib/payments';
import { ENTRY_KIND_COLORS, balanceSide, signedMoney } from '../../lib/receivables';
import { reportRange, todayIn } from '../../lib/reportRange';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';
import { PrintedStatement } from './PrintedStatement';

/** A customer's statement (对账单) over chosen days: what they owed, what happened, what they owe. */
export default function StatementPage() {
  const id = positiveInt(useParams().id ?? null, 0);
  return id === 0 ? <NotFound /> : <StatementOf id={id} />;
}

function StatementOf({ id }: { id: number }) {
  const { t } = useTranslation();
  const lang = useFileLang();
  const list = useListParams();
  const today = todayIn(useSettings().data?.time_zone);
  const range = reportRange(list.get('date_from'), list.get('date_to'), today);
  const params = { date_from: range.from, date_to: range.to };
  const query = useQuery({
    queryKey: ['statement', id, params],
    queryFn: ({ signal }) => customersApi.statement(id, params, signal),
    placeholderData: keepPreviousData,
  });
  // Staff come from the customer's page; a customer from their orders.
  const staff = atLeast(useUser().role, 'staff');
  const back = (
    <Link to={staff ? `/customers/${id}` : '/orders'} aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );
  const s = query.data;

  return (
    <>
      <PageHeader
        back={back}
        title={s ? t('statement.titleOf', { name: s.customer_name }) : t('statement.title')}
        extra={
          <>
            <DayRangePicker range={range} today={today} onChange={(r) => list.set({ date_from: r.from, date_to: r.to })} />
            <Button icon={<PrinterOutlined />} disabled={!s} onClick={() => window.print()} data-testid="statement-print">
              {t('statement.print')}
            </Button>
            <CsvLink href={statementCsvUrl(id, params, lang)} label={t('reports.downloadCsv')} testId="statement-csv" />
          </>
        }
      />
      <div className="no-print">
        <QueryView query={query}>{(data) => <StatementBody statement={data} staff={staff} />}</QueryView>
      </div>
      {s && <PrintedStatement statement={s} />}
    </>
  );
}

function StatementBody({ statement: s, staff }: { statement: Statement; staff: boolean }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const closing = balanceSide(s.closing_balance);
  // Entries have no id of their own; their place in the statement is stable for one answer.
  const entries = s.entries.map((e, i) => ({ ...e, key: i }));

  const kindTag = (e: StatementEntry) => <Tag color={ENTRY_KIND_COLORS[e.kind]}>{t(`statement.kinds.${e.kind}`)}</Tag>;
  const orderLink = (e: StatementEntry) => <Link to={`/orders/${e.order_id}`}>{e.order_number}</Link>;
  const method = (e: StatementEntry) => (e.method ? methodLabel(e.method, t) : '—');
  const amount = (e: StatementEntry) => (
    <span className="nowrap" data-testid="entry-amount">
      {signedMoney(money, e.amount)}
    </span>
  );
  const balance = (e: StatementEntry) => (
    <span className="nowrap" data-testid="entry-balance">
      {money(e.balance)}
    </span>
  );
  // A phone: what happened in one column, the amount with the balance under it beside it.
  const columns: TableColumnsType<StatementEntry> = phone
    ? [
        {
          title: t('statement.kind'),
          key: 'entry',
          render: (_v, e) => (
            <Flex vertical gap={2} align="flex-start">
              <span>
                {kindTag(e)} {orderLink(e)}
              </span>
              <Typography.Text type="secondary" className="hint">
                {dateTime(e.at)}
                {e.method && ` · ${method(e)}`}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('statement.amount'),
          key: 'amount',
          align: 'right',
          render: (_v, e) => (
            <Flex vertical gap={2} align="flex-end">
              {amount(e)}
              <Typography.Text type="secondary">{balance(e)}</Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        { title: t('statement.date'), key: 'at', render: (_v, e) => dateTime(e.at) },
        { title: t('statement.kind'), key: 'kind', render: (_v, e) => kindTag(e) },
        { title: t('orders.number'), key: 'order', render: (_v, e) => orderLink(e) },
        { title: t('payments.method'), key: 'method', render: (_v, e) => method(e) },
        { title: t('payments.reference'), key: 'reference', render: (_v, e) => e.reference ?? '—' },
        { title: t('statement.amount'), key: 'amount', align: 'right', render: (_v, e) => amount(e) },
        { title: t('statement.balance'), key: 'balance', align: 'right', render: (_v, e) => balance(e) },
      ];

  const figure = (title: string, value: string, testId: string, hint?: string) => (
    <Col xs={12} md={6}>
      <Card className="tile">
        <Statistic title={title} value={money(value)} data-testid={testId} />
        {hint && (
          <Typography.Text type="secondary" className="hint" data-testid={`${testId}-side`}>
            {hint}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );

  return (
    <>
      <Card className="section">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 4 }}
          size="small"
          items={[
            {
              key: 'customer',
              label: t('orders.customer'),
              children: staff ? <Link to={`/customers/${s.customer_id}`}>{s.customer_name}</Link> : s.customer_name,
            },
            { key: 'phone', label: t('customers.phone'), children: s.phone ?? '—' },
            { key: 'address', label: t('customers.address'), children: s.address ?? '—' },
            {
              key: 'period',
              label: t('statement.period'),
              children: <span data-testid="statement-period">{t('reports.days', { from: s.first_day, to: s.last_day })}</span>,
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]} className="section">
        {figure(t('statement.opening'), s.opening_balance, 'statement-opening')}
        {figure(t('statement.charged'), s.charged, 'statement-charged')}
        {figure(t('statement.received'), s.received, 'statement-received')}
        {figure(
          t('statement.closing'),
          s.closing_balance,
          'statement-closing',
          t(`statement.${closing.side}`, { amount: money(closing.cents) }),
        )}
      </Row>
      <Typography.Paragraph type="secondary" data-testid="statement-help">
        {t('statement.help')}
      </Typography.Paragraph>
      <Table<StatementEntry>
        size="small"
        columns={columns}
        dataSource={entries}
        pagination={false}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={t('statement.noEntries')} /> }}
        data-testid="statement-entries"
      />
    </>
  );
}
