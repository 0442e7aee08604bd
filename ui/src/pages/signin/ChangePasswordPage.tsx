import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { changePassword, endSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { signInPath } from '../../auth/paths';
import { endedReason, setSignedIn, setSignedOut, useMe } from '../../auth/session';
import { FullPageSpin } from '../../components/States';
import { describeError, fieldErrorText } from '../../lib/errors';
import { safeNext } from '../../lib/format';
import { homePath } from '../../lib/roles';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, checkNewPassword } from '../../lib/password';

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

const LIMITS = { min: MIN_PASSWORD_CHARS, max: MAX_PASSWORD_BYTES };

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const next = safeNext(params.get('next'));

  const change = useMutation({
    mutationFn: (v: Values) => changePassword(v.current_password, v.new_password),
    onSuccess: ({ user }) => {
      setSignedIn(client, user);
      void navigate(next ?? homePath(user.role), { replace: true });
    },
    onError: (err) => {
      if (err instanceof ApiError && (err.field === 'current_password' || err.field === 'new_password')) {
        form.setFields([{ name: err.field, errors: [fieldErrorText(err, t)] }]);
      }
    },
  });
  const signOut = useMutation({ mutationFn: endSession, onSettled: () => setSignedOut(client, 'signedOut') });

  if (me.isPending) return <FullPageSpin />;
  if (!me.data) {
    const reason = endedReason(client);
    return <Navigate to={signInPath(reason === 'signedOut' ? null : next, reason)} replace />;
  }

  const err = change.error;
  const fieldErr = err instanceof ApiError && (err.field === 'current_password' || err.field === 'new_password');

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('auth.changePasswordTitle')}
      </Typography.Title>
      {me.data?.must_change_password && (
        <Alert type="info" showIcon title={t('auth.changePasswordRequired')} style={{ marginBottom: 16 }} />
      )}
      {err && !fieldErr && (
        <Alert type="error" showIcon title={describeError(err, t)} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => change.mutate(v)}
        disabled={change.isPending}
      >
        <input type="hidden" name="username" autoComplete="username" value={me.data?.username ?? ''} readOnly />
        <Form.Item
          name="current_password"
          label={t('auth.currentPassword')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="new_password"
          label={t('auth.newPassword')}
          extra={t('auth.passwordHint', LIMITS)}
          rules={[
            { required: true, message: t('validation.required') },
            {
              validator: (_r, value: string | undefined) => {
                const p = checkNewPassword(value ?? '', value ?? '');
                if (p === 'tooShort') return Promise.reject(new Error(t('auth.errTooShort', LIMITS)));
                if (p === 'tooLong') return Promise.reject(new Error(t('auth.errTooLong', LIMITS)));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['new_password']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: (_r, value: string | undefined) =>
                value === getFieldValue('new_password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.errMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            {t('auth.savePassword')}
          </Button>
          <Button onClick={() => signOut.mutate()} loading={signOut.isPending}>
            {t('auth.signOut')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}
