import { useMutation, useQuery } from '@tanstack/react-query';
import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { customersApi } from '../../api/customers';
import { PRICE_LEVELS_KEY, priceLevelsApi } from '../../api/priceLevels';
import type { Customer, CustomerInput } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';

const FIELDS = ['name', 'phone', 'email', 'address', 'note', 'price_level_id', 'invoice_title', 'invoice_tax_id'] as const;

function orNull(v: string | undefined | null): string | null {
  const s = v?.trim();
  return s ? s : null;
}

export function CustomerFormModal({
  customer,
  onClose,
  onSaved,
}: {
  customer?: Customer;
  onClose: () => void;
  onSaved?: (c: Customer) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CustomerInput>();
  const errors = useFormErrors(form, FIELDS);
  const levels = useQuery({ queryKey: PRICE_LEVELS_KEY, queryFn: ({ signal }) => priceLevelsApi.list(signal) });
  const save = useMutation({
    mutationFn: (v: CustomerInput) => {
      const body: CustomerInput = {
        name: v.name.trim(),
        phone: orNull(v.phone),
        email: orNull(v.email),
        address: orNull(v.address),
        note: orNull(v.note),
        price_level_id: v.price_level_id ?? null,
        invoice_title: orNull(v.invoice_title),
        invoice_tax_id: orNull(v.invoice_tax_id),
      };
      return customer ? customersApi.update(customer.id, body) : customersApi.create(body);
    },
    onSuccess: (c) => {
      onSaved?.(c);
      onClose();
    },
    onError: errors.onError,
  });

  return (
    <Modal
      open
      title={customer ? t('customers.editTitle') : t('customers.newTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<CustomerInput>
        form={form}
        layout="vertical"
        name="customer"
        initialValues={customer ?? {}}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item
          name="name"
          label={t('customers.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="phone" label={t('customers.phone')}>
          <Input inputMode="tel" maxLength={50} />
        </Form.Item>
        <Form.Item name="email" label={t('customers.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input inputMode="email" maxLength={200} />
        </Form.Item>
        <Form.Item name="address" label={t('customers.address')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="price_level_id" label={t('priceLevels.level')} extra={t('priceLevels.levelHint')}>
          <Select<number>
            allowClear
            placeholder={t('priceLevels.none')}
            loading={levels.isLoading}
            options={(levels.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
            data-testid="customer-price-level"
          />
        </Form.Item>
        <Form.Item name="invoice_title" label={t('customers.invoiceTitle')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="invoice_tax_id" label={t('customers.invoiceTaxId')}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
