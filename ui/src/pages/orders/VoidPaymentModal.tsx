import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { paymentsApi } from '../../api/payments';
import type { Payment, PaymentLedger } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { methodLabel } from '../../lib/payments';
import { useDateTime, useMoney } from '../../lib/shop';

const FIELDS = ['reason'] as const;

/** Reverses a payment or refund recorded by mistake, with the reason (nothing is deleted). */
export function VoidPaymentModal({
  entry,
  onClose,
  onDone,
}: {
  entry: Payment;
  onClose: () => void;
  onDone: (l: PaymentLedger) => void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const [form] = Form.useForm<{ reason: string }>();
  const errors = useFormErrors(form, FIELDS);
  const save = useMutation({
    mutationFn: (reason: string) => paymentsApi.void(entry.order_id, entry.id, reason),
    onSuccess: onDone,
    onError: errors.onError,
  });
  const kind = t(`paymentKind.${entry.kind}`);

  return (
    <Modal
      open
      title={t('payments.voidTitle', { kind })}
      okText={t('payments.void')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Typography.Paragraph>
        {t('payments.voidIntro', { time: dateTime(entry.paid_at), method: methodLabel(entry.method, t), amount: money(entry.amount) })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        name="void"
        onFinish={(v) => {
          errors.clear();
          save.mutate(v.reason.trim());
        }}
      >
        <Form.Item
          name="reason"
          label={t('payments.voidReason')}
          rules={[{ required: true, whitespace: true, message: t('validation.voidReason') }]}
        >
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
