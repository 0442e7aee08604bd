import { useMutation } from '@tanstack/react-query';
import { App, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { shippingApi } from '../../api/shipping';
import type { NewReturn, OrderItem, OrderView, ReturnReason } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { parcelLines, returnable } from '../../lib/goods';
import { normalizePrice, parseCents } from '../../lib/money';
import { methodLabel } from '../../lib/payments';
import { useCurrencySymbol, useMoney, useSettings } from '../../lib/shop';

const REASONS: ReturnReason[] = ['damaged', 'wrong_item', 'not_as_described', 'not_needed', 'late', 'other'];

interface Values {
  reason: ReturnReason;
  note?: string;
  quantities: Record<string, number | null>;
  restock: Record<string, 'restock' | 'write_off'>;
  refund: boolean;
  refund_amount?: string;
  refund_method?: string;
}

const FIELDS = ['reason', 'note', 'refund_amount', 'refund_method'] as const;

/**
 * Records goods that came back: per line how many and whether they go back on the shelf or
 * are written off as damaged, why, and optionally the refund given with them. Asks once more
 * before it is recorded, since stock and money move at once.
 */
export function ReturnModal({
  order,
  onClose,
  onDone,
}: {
  order: OrderView;
  onClose: () => void;
  onDone: (o: OrderView | null) => void;
}) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const money = useMoney();
  const currency = useCurrencySymbol();
  const methods = useSettings().data?.payment_methods ?? [];
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const lines = useMemo(() => order.items.filter((i) => returnable(i) > 0), [order.items]);
  const refund = Form.useWatch('refund', form);
  const reason = Form.useWatch('reason', form);
  const initial = useMemo<Values>(
    () => ({
      reason: 'not_needed',
      quantities: Object.fromEntries(lines.map((i) => [String(i.id), 0])),
      restock: Object.fromEntries(lines.map((i) => [String(i.id), 'restock' as const])),
      refund: false,
      refund_method: methods[0],
    }),
    // The form starts once, from the order as it was when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const save = useMutation({
    mutationFn: (body: NewReturn) => shippingApi.recordReturn(order.id, body),
    onSuccess: (o) => {
      void message.success(t('returns.recorded'));
      onDone(o);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'already_returned') {
        void message.info(t('errors.already_returned'));
        onDone(null);
        return;
      }
      errors.onError(err);
    },
  });

  const onFinish = (v: Values) => {
    errors.clear();
    const chosen = parcelLines(lines, v.quantities);
    if (chosen.length === 0) {
      void message.warning(t('returns.nothingSelected'));
      return;
    }
    const body: NewReturn = {
      reason: v.reason,
      note: v.note?.trim() || null,
      lines: chosen.map((l) => ({ ...l, restock: v.restock[String(l.order_item_id)] !== 'write_off' })),
      refund:
        v.refund && v.refund_amount && v.refund_method
          ? { amount: normalizePrice(v.refund_amount), method: v.refund_method, reference: null }
          : null,
    };
    void modal.confirm({
      title: t('returns.confirmTitle'),
      content: t('returns.confirmBody'),
      okText: t('returns.record'),
      cancelText: t('common.cancel'),
      onOk: () => save.mutateAsync(body).catch(() => undefined),
    });
  };

  return (
    <Modal
      open
      title={t('returns.title', { number: order.order_number })}
      okText={t('returns.record')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: save.isPending }}
      destroyOnHidden
      width={720}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Values> form={form} layout="vertical" name="return" initialValues={initial} onFinish={onFinish}>
        <Table<OrderItem>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={lines}
          className="section"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('products.name'), dataIndex: 'product_name', key: 'name' },
            {
              title: t('returns.cameBack'),
              key: 'qty',
              render: (_v, i) => (
                <Form.Item name={['quantities', String(i.id)]} noStyle>
                  <InputNumber
                    min={0}
                    max={returnable(i)}
                    precision={0}
                    aria-label={`${t('returns.cameBack')} ${i.product_name}`}
                    data-testid={`return-qty-${i.id}`}
                  />
                </Form.Item>
              ),
            },
            { title: '', key: 'left', render: (_v, i) => t('returns.returnable', { n: returnable(i) }) },
            {
              title: '',
              key: 'restock',
              render: (_v, i) => (
                <Form.Item name={['restock', String(i.id)]} noStyle>
                  <Radio.Group
                    size="small"
                    optionType="button"
                    options={[
                      { value: 'restock', label: t('returns.restock') },
                      { value: 'write_off', label: t('returns.writeOff') },
                    ]}
                    data-testid={`return-restock-${i.id}`}
                  />
                </Form.Item>
              ),
            },
          ]}
        />
        <Form.Item name="reason" label={t('returns.reason')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select
            options={REASONS.map((r) => ({ value: r, label: t(`returns.reasons.${r}`) }))}
            style={{ maxWidth: 280 }}
            data-testid="return-reason"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('common.note')}
          rules={reason === 'other' ? [{ required: true, whitespace: true, message: t('returns.noteRequired') }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="refund" valuePropName="checked">
          <Checkbox data-testid="return-refund">
            {t('returns.refund')} ({t('print.paidAmount')} {money(order.paid_amount)})
          </Checkbox>
        </Form.Item>
        {refund && (
          <>
            <Form.Item
              name="refund_amount"
              label={t('returns.refundAmount')}
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
            <Form.Item name="refund_method" label={t('returns.refundMethod')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select options={methods.map((m) => ({ value: m, label: methodLabel(m, t) }))} style={{ maxWidth: 240 }} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
