import { useMutation } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { productsApi } from '../../api/products';
import type { AdjustmentReason, Product } from '../../api/types';
import { ADJUSTMENT_REASONS } from '../../api/types';
import { ScanField } from '../../components/ScanField';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { countOneMore, isStaffProduct } from '../../lib/scan';
import { adjustmentDelta, signed } from '../../lib/stock';

interface Values {
  reason: AdjustmentReason;
  amount?: number;
  note?: string;
}

const FIELDS = ['reason', 'note'] as const;

/** Restock, damage (pieces) or count correction (the counted stock), with a note. */
export function StockAdjustModal({ product, onClose }: { product: Product; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const reason = Form.useWatch('reason', form) ?? 'restock';
  const amount = Form.useWatch('amount', form);
  const delta = typeof amount === 'number' ? adjustmentDelta(reason, amount, product.stock_quantity) : null;

  const save = useMutation({
    mutationFn: (v: Values) =>
      productsApi.adjustStock(product.id, {
        reason: v.reason,
        quantity: adjustmentDelta(v.reason, v.amount ?? 0, product.stock_quantity),
        note: v.note?.trim() || null,
      }),
    onSuccess: onClose,
    onError: errors.onError,
  });

  return (
    <Modal
      open
      title={t('stock.adjustTitle', { name: product.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: delta === 0 }}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Values>
        form={form}
        layout="vertical"
        name="stock"
        initialValues={{ reason: 'restock' }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="reason" label={t('stock.reason')} rules={[{ required: true }]}>
          <Select
            options={ADJUSTMENT_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
            onChange={() => form.setFieldValue('amount', undefined)}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={reason === 'count_correction' ? t('stock.counted') : t('stock.pieces')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={
            <Typography.Text type="secondary">
              {t('stock.current', { n: product.stock_quantity })}
              {delta !== null && ` · ${t('stock.change', { delta: signed(delta) })}`}
            </Typography.Text>
          }
        >
          <InputNumber min={reason === 'count_correction' ? 0 : 1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        {/* Counting by scanning: each scan of this product's code is one more piece. */}
        <Form.Item label={t('scan.countLabel')}>
          <ScanField
            label={t('scan.countLabel')}
            placeholder={t('scan.countPlaceholder')}
            hint={t('scan.countHint')}
            testId="stock-count-scan"
            onProduct={(p) => {
              if (!isStaffProduct(p) || p.id !== product.id)
                return t('scan.otherProduct', { name: p.name, expected: product.name });
              form.setFieldValue('amount', countOneMore(form.getFieldValue('amount') as number | undefined));
            }}
          />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
