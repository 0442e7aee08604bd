import { useMutation } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { paymentsApi } from '../../api/payments';
import type { NewPayment, PaymentLedger } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { normalizePrice, parseCents } from '../../lib/money';
import { isVoidable, methodLabel, overBy, paymentDefault, refundDefault } from '../../lib/payments';
import { todayIn } from '../../lib/reportRange';
import { useCurrencySymbol, useMoney, useSettings } from '../../lib/shop';
import { wallClockIn, zonedToRfc3339 } from '../../lib/zone';

export type MoneyKind = 'payment' | 'refund';

interface Values {
  amount: string;
  method: string;
  paid_at: Dayjs;
  reference?: string;
  note?: string;
  reason?: string;
}

const FIELDS = ['amount', 'method', 'paid_at', 'reference', 'note', 'reason'] as const;

/** The shop's clock now, as a picker value (its wall-clock time, whatever the browser's zone). */
function shopNow(timeZone: string | undefined): Dayjs {
  const w = wallClockIn(new Date(), timeZone);
  return dayjs(new Date(w.year, w.month - 1, w.day, w.hour, w.minute, 0));
}

/**
 * Records a payment received (amount: the balance due) or a refund given (amount: the refund
 * due, else what was paid; a reason required). A payment beyond the balance is offered again
 * as an overpayment, once the cashier says so.
 */
export function PaymentModal({
  kind,
  ledger,
  onClose,
  onDone,
}: {
  kind: MoneyKind;
  ledger: PaymentLedger;
  onClose: () => void;
  onDone: (l: PaymentLedger, kind: MoneyKind) => void;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const money = useMoney();
  const currency = useCurrencySymbol();
  const settings = useSettings().data;
  const tz = settings?.time_zone;
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const refund = kind === 'refund';

  const methods = useMemo(() => settings?.payment_methods ?? [], [settings]);
  // A refund goes back the way the money came, when that method is still offered.
  const lastPaid = [...ledger.items].reverse().find((p) => p.kind === 'payment' && isVoidable(p))?.method;
  const method = refund && lastPaid && methods.includes(lastPaid) ? lastPaid : methods[0];
  const initial = useMemo(
    () => ({
      amount: refund ? refundDefault(ledger) : paymentDefault(ledger),
      method,
      paid_at: shopNow(tz),
    }),
    // The form starts once, from what the order stood at when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const save = useMutation({
    mutationFn: (body: NewPayment) => paymentsApi.record(ledger.order_id, body),
    onSuccess: (l) => onDone(l, kind),
  });

  const send = (body: NewPayment) => {
    errors.clear();
    save.mutate(body, {
      onError: (err) => {
        if (err instanceof ApiError && err.code === 'overpayment' && !body.allow_overpayment) {
          const balance = typeof err.details['balance_due'] === 'string' ? err.details['balance_due'] : ledger.balance_due;
          void modal.confirm({
            title: t('payments.overpayTitle'),
            content: t('payments.overpayBody', {
              balance: money(balance),
              amount: money(body.amount),
              over: money(overBy(body.amount, balance)),
            }),
            okText: t('payments.overpayOk'),
            okButtonProps: { danger: true },
            cancelText: t('common.cancel'),
            onOk: () => save.mutateAsync({ ...body, allow_overpayment: true }).catch((e: unknown) => errors.onError(e)),
          });
          return;
        }
        errors.onError(err);
      },
    });
  };

  const onFinish = (v: Values) => {
    const at = v.paid_at;
    // Untouched, the time is "now" on the server's clock (a browser's clock may run ahead).
    const paidAt = form.isFieldTouched('paid_at')
      ? zonedToRfc3339(
          { year: at.year(), month: at.month() + 1, day: at.date(), hour: at.hour(), minute: at.minute(), second: 0 },
          tz,
        )
      : undefined;
    send({
      kind,
      amount: normalizePrice(v.amount),
      method: v.method,
      paid_at: paidAt,
      reference: v.reference?.trim() || null,
      note: v.note?.trim() || null,
      ...(refund ? { reason: v.reason?.trim() || null } : {}),
    });
  };

  const amountHint = refund
    ? t('payments.refundHint', { amount: money(ledger.paid_amount) })
    : (parseCents(ledger.balance_due) ?? 0n) > 0n
      ? t('payments.balanceHint', { amount: money(ledger.balance_due) })
      : t('payments.nothingDueHint');
  const today = todayIn(tz);

  return (
    <Modal
      open
      title={t(refund ? 'payments.refundTitle' : 'payments.recordTitle', { number: ledger.order_number })}
      okText={refund ? t('payments.refund') : t('payments.record')}
      okButtonProps={{ danger: refund }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Values> form={form} layout="vertical" name={kind} initialValues={initial} onFinish={onFinish}>
        <Form.Item
          name="amount"
          label={refund ? t('payments.refundAmount') : t('payments.amount')}
          extra={amountHint}
          rules={[
            { required: true, message: t('validation.required') },
            {
              validator: (_r, v: string | undefined) => {
                const c = v ? parseCents(v) : null;
                return !v || (c !== null && c > 0n) ? Promise.resolve() : Promise.reject(new Error(t('validation.amount')));
              },
            },
          ]}
        >
          <Input inputMode="decimal" autoComplete="off" prefix={currency || undefined} style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item
          name="method"
          label={refund ? t('payments.refundMethod') : t('payments.method')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select options={methods.map((m) => ({ value: m, label: methodLabel(m, t) }))} style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item
          name="paid_at"
          label={refund ? t('payments.refundedAt') : t('payments.paidAt')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowClear={false}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            style={{ width: 240 }}
          />
        </Form.Item>
        {refund && (
          <Form.Item
            name="reason"
            label={t('payments.refundReason')}
            rules={[{ required: true, whitespace: true, message: t('validation.refundReason') }]}
          >
            <Input.TextArea rows={2} maxLength={300} />
          </Form.Item>
        )}
        <Form.Item name="reference" label={t('payments.reference')} extra={t('payments.referenceHint')}>
          <Input maxLength={100} autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
