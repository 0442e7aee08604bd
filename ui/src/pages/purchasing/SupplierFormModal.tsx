import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { suppliersApi } from '../../api/purchasing';
import type { NewSupplier, Supplier } from '../../api/types';
import { useFormErrors } from '../../components/useFormErrors';
import { PurchasingAlert } from './PurchasingAlert';

const FIELDS = ['name', 'contact', 'phone', 'address', 'note'] as const;

interface Values {
  name: string;
  contact?: string | null;
  phone?: string | null;
  address?: string | null;
  note?: string | null;
}

function orNull(v: string | undefined | null): string | null {
  const s = v?.trim();
  return s ? s : null;
}

/** Add a supplier, or change one (name, contact, phone, address, note). */
export function SupplierFormModal({
  supplier,
  onClose,
  onSaved,
}: {
  supplier?: Supplier;
  onClose: () => void;
  onSaved?: (s: Supplier) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: NewSupplier = {
        name: v.name.trim(),
        contact: orNull(v.contact),
        phone: orNull(v.phone),
        address: orNull(v.address),
        note: orNull(v.note),
      };
      return supplier ? suppliersApi.update(supplier.id, body) : suppliersApi.create(body);
    },
    onSuccess: (s) => {
      onSaved?.(s);
      onClose();
    },
    onError: (err) => {
      // The name is taken: say so on the name, in the UI language.
      if (err instanceof ApiError && err.code === 'supplier_taken') {
        errors.clear();
        form.setFields([{ name: 'name', errors: [t('purchasing.errors.supplier_taken')] }]);
        return;
      }
      errors.onError(err);
    },
  });

  return (
    <Modal
      open
      title={supplier ? t('purchasing.editSupplier') : t('purchasing.newSupplier')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {errors.error !== null && <PurchasingAlert error={errors.error} />}
      <Form<Values>
        form={form}
        layout="vertical"
        name="supplier"
        initialValues={supplier ?? {}}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item
          name="name"
          label={t('purchasing.supplierName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="contact" label={t('purchasing.contact')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="phone" label={t('purchasing.phone')}>
          <Input inputMode="tel" maxLength={50} />
        </Form.Item>
        <Form.Item name="address" label={t('purchasing.address')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
