import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/admin';
import { customersApi } from '../../api/customers';
import type { NewUser, Role, User, UserPatch } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, checkNewPassword } from '../../lib/password';
import { CustomerPicker } from '../orders/CustomerPicker';

const LIMITS = { min: MIN_PASSWORD_CHARS, max: MAX_PASSWORD_BYTES };

function usePasswordRule() {
  const { t } = useTranslation();
  return {
    validator: (_r: unknown, value: string | undefined) => {
      const p = checkNewPassword(value ?? '', value ?? '');
      if (p === 'tooShort') return Promise.reject(new Error(t('auth.errTooShort', LIMITS)));
      if (p === 'tooLong') return Promise.reject(new Error(t('auth.errTooLong', LIMITS)));
      return Promise.resolve();
    },
  };
}

const NEW_FIELDS = ['username', 'password', 'role', 'email', 'full_name'] as const;

/** A new account; `roles` are the ones the server lets this user grant (me.grantable_roles). */
export function NewUserModal({ roles, onClose }: { roles: Role[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewUser>();
  const errors = useFormErrors(form, NEW_FIELDS);
  const passwordRule = usePasswordRule();
  const save = useMutation({
    mutationFn: (v: NewUser) =>
      usersApi.create({
        ...v,
        username: v.username.trim(),
        email: v.email?.trim() || null,
        full_name: v.full_name?.trim() || null,
      }),
    onSuccess: onClose,
    onError: errors.onError,
  });
  return (
    <Modal
      open
      title={t('users.newTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<NewUser>
        form={form}
        layout="vertical"
        name="user"
        initialValues={{ role: roles.includes('staff') ? 'staff' : roles[0], must_change_password: true }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" autoCapitalize="none" spellCheck={false} maxLength={50} />
        </Form.Item>
        <Form.Item name="full_name" label={t('users.fullName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('customers.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="new-user-role" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          extra={t('auth.passwordHint', LIMITS)}
          rules={[{ required: true, message: t('validation.required') }, passwordRule]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="must_change_password" valuePropName="checked">
          <Checkbox>{t('users.mustChange')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ResetValues {
  password: string;
  must_change_password: boolean;
}

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResetValues>();
  const errors = useFormErrors(form, ['password']);
  const passwordRule = usePasswordRule();
  const save = useMutation({
    mutationFn: (v: ResetValues) => usersApi.resetPassword(user.id, v.password, v.must_change_password),
    onSuccess: onClose,
    onError: errors.onError,
  });
  return (
    <Modal
      open
      title={t('users.resetTitle', { username: user.username })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<ResetValues>
        form={form}
        layout="vertical"
        name="reset"
        initialValues={{ must_change_password: true }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item
          name="password"
          label={t('auth.newPassword')}
          extra={t('auth.passwordHint', LIMITS)}
          rules={[{ required: true, message: t('validation.required') }, passwordRule]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="must_change_password" valuePropName="checked">
          <Checkbox>{t('users.mustChange')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EditValues {
  email?: string | null;
  full_name?: string | null;
}

/** An account's email and full name (one's own too: actions.edit). */
export function EditUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const errors = useFormErrors(form, ['email', 'full_name']);
  const save = useMutation({
    mutationFn: (v: EditValues) => {
      const body: UserPatch = { email: v.email?.trim() || null, full_name: v.full_name?.trim() || null };
      return usersApi.update(user.id, body);
    },
    onSuccess: onClose,
    onError: errors.onError,
  });
  return (
    <Modal
      open
      title={t('users.editTitle', { username: user.username })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<EditValues>
        form={form}
        layout="vertical"
        name="edit-user"
        initialValues={{ email: user.email ?? '', full_name: user.full_name ?? '' }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="full_name" label={t('users.fullName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('customers.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The customer record a customer login's orders go to (actions.link_customer). */
export function LinkCustomerModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const current = user.customer_id ?? null;
  const linked = useQuery({
    queryKey: ['customer', current],
    queryFn: ({ signal }) => customersApi.get(current ?? 0, signal),
    enabled: current !== null,
  });
  const [picked, setPicked] = useState<{ id: number; name: string } | null | undefined>(undefined);
  const value = picked !== undefined ? picked : current !== null ? { id: current, name: linked.data?.name ?? `#${current}` } : null;
  const save = useMutation({
    mutationFn: () => usersApi.update(user.id, { customer_id: value?.id ?? null }),
    onSuccess: onClose,
  });
  const unchanged = (value?.id ?? null) === current;
  return (
    <Modal
      open
      title={t('users.linkTitle', { username: user.username })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: unchanged }}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {save.isError && <ErrorAlert error={save.error} />}
      <Typography.Paragraph>{t('users.linkIntro', { username: user.username })}</Typography.Paragraph>
      <CustomerPicker
        value={value}
        onChange={setPicked}
        placeholder={t('users.linkNone')}
        label={t('users.customerRecord')}
        testId="link-customer-picker"
      />
      <Alert style={{ marginTop: 16 }} type="info" showIcon role="note" title={t('users.linkMerge')} />
    </Modal>
  );
}
