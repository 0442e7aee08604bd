import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentsApi } from '../../api/payments';
import { STATS_KEY } from '../../api/reports';
import type { OrderView, Payment, PaymentKind, PaymentLedger } from '../../api/types';
import { PaymentStatusTag } from '../../components/PaymentTag';
import { EmptyState, ErrorAlert } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { centsOf } from '../../lib/money';
import { entryEffect, isVoidable, linkedEntry, methodLabel, summaryOf } from '../../lib/payments';
import { signedMoney } from '../../lib/receivables';
import { useDateTime, useMoney } from '../../lib/shop';
import { PaymentModal } from './PaymentModal';
import type { MoneyKind } from './PaymentModal';
import { VoidPaymentModal } from './VoidPaymentModal';

const KIND_COLORS: Record<PaymentKind, string> = { payment: 'green', refund: 'orange', void: 'default' };

export function paymentsKey(orderId: number) {
  return ['order', orderId, 'payments'] as const;
}

/**
 * The money on an order: where it stands (paid, balance due, refund due), the journal of
 * payments, refunds and voids, and the buttons the server's `actions` allow this viewer.
 */
export function PaymentsCard({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const client = useQueryClient();
  const query = useQuery({ queryKey: paymentsKey(order.id), queryFn: ({ signal }) => paymentsApi.ledger(order.id, signal) });
  const [dialog, setDialog] = useState<MoneyKind | null>(null);
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const { record_payment: canRecord, refund: canRefund, void_payments: canVoid } = order.actions;

  const ledger = query.data;
  // The order's own fields until the journal is in (they say the same).
  const s = ledger ? summaryOf(ledger) : order;
  const items = ledger?.items ?? [];

  const done = (l: PaymentLedger, text: string) => {
    client.setQueryData(paymentsKey(order.id), l);
    // The order shows the new amounts now; its actions (refund) and the lists follow.
    client.setQueryData<OrderView>(['order', order.id], (o) => (o ? { ...o, ...summaryOf(l) } : o));
    void client.invalidateQueries({ queryKey: ['order', order.id], exact: true });
    void client.invalidateQueries({ queryKey: ['orders'] });
    void client.invalidateQueries({ queryKey: ['customer'] });
    void client.invalidateQueries({ queryKey: STATS_KEY });
    void message.success(text);
  };

  const positive = (amount: string) => centsOf(amount) > 0n;
  const tracked = s.payment_status !== 'untracked';

  const kindTag = (p: Payment) => (
    <Tag color={KIND_COLORS[p.kind]} data-kind={p.kind}>
      {t(`paymentKind.${p.kind}`)}
    </Tag>
  );
  const amount = (p: Payment) => {
    const effect = entryEffect(p, items);
    return (
      <span className={`nowrap${p.voided_by_id ? ' struck' : ''}`} data-testid="entry-amount">
        {signedMoney(money, effect)}
      </span>
    );
  };
  // What else an entry says: its note and reason, the void that reversed it, or what a void reverses.
  const notes = (p: Payment) => {
    const other = linkedEntry(p, items);
    return (
      <Flex vertical gap={2} align="flex-start" className="entry-notes">
        {p.kind === 'void' && other && (
          <Typography.Text type="secondary">
            {t('payments.voidsEntry', { kind: t(`paymentKind.${other.kind}`), time: dateTime(other.paid_at) })}
          </Typography.Text>
        )}
        {p.kind !== 'void' && other && (
          <Tag color="red" data-testid="voided-tag">
            {other.reason ? t('payments.voidedBecause', { reason: other.reason }) : t('payments.voidedTag')}
          </Tag>
        )}
        {p.reason && <span>{p.reason}</span>}
        {p.note && <Typography.Text type="secondary">{p.note}</Typography.Text>}
      </Flex>
    );
  };
  const voidButton = (p: Payment) =>
    canVoid && isVoidable(p) ? (
      <Button
        size="small"
        danger
        onClick={() => setVoiding(p)}
        aria-label={t('payments.voidOf', { kind: t(`paymentKind.${p.kind}`), amount: money(p.amount), time: dateTime(p.paid_at) })}
        data-testid="void-entry"
      >
        {t('payments.void')}
      </Button>
    ) : null;

  const columns: TableColumnsType<Payment> = phone
    ? [
        {
          title: t('payments.journal'),
          key: 'entry',
          render: (_v, p) => (
            <Flex vertical gap={2} align="flex-start">
              <span className={p.voided_by_id ? 'struck' : undefined}>
                {kindTag(p)} {methodLabel(p.method, t)}
              </span>
              <Typography.Text type="secondary" className="hint">
                {dateTime(p.paid_at)} · {p.recorded_by}
              </Typography.Text>
              {p.reference && <Typography.Text className="hint">{p.reference}</Typography.Text>}
              {notes(p)}
            </Flex>
          ),
        },
        {
          title: t('payments.amount'),
          key: 'amount',
          align: 'right',
          render: (_v, p) => (
            <Flex vertical gap={4} align="flex-end">
              {amount(p)}
              {voidButton(p)}
            </Flex>
          ),
        },
      ]
    : [
        { title: t('common.time'), key: 'at', render: (_v, p) => <span className="nowrap">{dateTime(p.paid_at)}</span> },
        { title: t('payments.kind'), key: 'kind', render: (_v, p) => kindTag(p) },
        {
          title: t('payments.method'),
          key: 'method',
          render: (_v, p) => <span className={p.voided_by_id ? 'struck' : undefined}>{methodLabel(p.method, t)}</span>,
        },
        { title: t('payments.amount'), key: 'amount', align: 'right', render: (_v, p) => amount(p) },
        { title: t('payments.reference'), key: 'reference', render: (_v, p) => p.reference ?? '' },
        { title: t('payments.who'), key: 'who', render: (_v, p) => p.recorded_by },
        { title: t('payments.reason'), key: 'notes', render: (_v, p) => notes(p) },
        ...(canVoid ? [{ title: t('common.actions'), key: 'void', render: (_v: unknown, p: Payment) => voidButton(p) }] : []),
      ];

  return (
    <Card
      className="section"
      data-testid="payments-card"
      title={
        <Flex gap={8} align="center" wrap>
          {t('payments.title')}
          <PaymentStatusTag status={s.payment_status} />
          {positive(s.refund_due) && (
            <Tag color="red" data-testid="refund-due-tag">
              {t('payments.refundDueTag', { amount: money(s.refund_due) })}
            </Tag>
          )}
        </Flex>
      }
    >
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {!tracked && <Alert type="info" showIcon title={t('payments.untrackedHint')} className="toolbar" />}
      <Descriptions
        size="small"
        column={{ xs: 2, sm: 4 }}
        className="toolbar"
        items={[
          {
            key: 'paid',
            label: t('payments.paid'),
            children: (
              <strong className="nowrap" data-testid="paid-amount">
                {money(s.paid_amount)}
              </strong>
            ),
          },
          ...(tracked
            ? [
                {
                  key: 'balance',
                  label: t('payments.balanceDue'),
                  children: (
                    <strong className="nowrap" data-testid="balance-due">
                      {money(positive(s.balance_due) ? s.balance_due : '0.00')}
                    </strong>
                  ),
                },
              ]
            : []),
          ...(positive(s.refund_due)
            ? [
                {
                  key: 'refund',
                  label: t('payments.refundDue'),
                  children: (
                    <strong className="nowrap refund-due" data-testid="refund-due">
                      {money(s.refund_due)}
                    </strong>
                  ),
                },
              ]
            : []),
          ...(positive(s.refunded_amount)
            ? [{ key: 'refunded', label: t('payments.refunded'), children: <span className="nowrap">{money(s.refunded_amount)}</span> }]
            : []),
        ]}
      />
      {(canRecord || canRefund) && (
        <Flex gap={8} wrap className="toolbar">
          {canRecord && (
            <Button type="primary" onClick={() => setDialog('payment')} disabled={!ledger} data-testid="record-payment">
              {t('payments.record')}
            </Button>
          )}
          {canRefund && (
            <Button danger onClick={() => setDialog('refund')} disabled={!ledger} data-testid="record-refund">
              {t('payments.refund')}
            </Button>
          )}
        </Flex>
      )}
      <Table<Payment>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={query.isPending}
        pagination={false}
        rowClassName={(p) => (p.voided_by_id ? 'payment-voided' : '')}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={t('payments.noEntries')} /> }}
        data-testid="payments-journal"
      />
      {dialog && ledger && (
        <PaymentModal
          kind={dialog}
          ledger={ledger}
          onClose={() => setDialog(null)}
          onDone={(l, kind) => {
            setDialog(null);
            done(l, kind === 'refund' ? t('payments.refundRecorded') : t('payments.recorded'));
          }}
        />
      )}
      {voiding && (
        <VoidPaymentModal
          entry={voiding}
          onClose={() => setVoiding(null)}
          onDone={(l) => {
            setVoiding(null);
            done(l, t('payments.voided'));
          }}
        />
      )}
    </Card>
  );
}
