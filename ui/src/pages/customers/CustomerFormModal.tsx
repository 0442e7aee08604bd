import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { customersApi } from '../../api/customers';
import type { Customer, CustomerInput } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';

const FIELDS = ['name', 'phone', 'email', 'address', 'note'] as const;

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
  const save = useMutation({
    mutationFn: (v: CustomerInput) => {
      const body: CustomerInput = {
        name: v.name.trim(),
        phone: orNull(v.phone),
        email: orNull(v.email),
        address: orNull(v.address),
        note: orNull(v.note),
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
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
