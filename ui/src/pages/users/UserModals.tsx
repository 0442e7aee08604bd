import { useMutation } from '@tanstack/react-query';
import { Checkbox, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/admin';
import type { NewUser, Role, User } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, checkNewPassword } from '../../lib/password';

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
        initialValues={{ role: 'staff', must_change_password: true }}
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
