import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { startSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { changePasswordPath } from '../../auth/paths';
import { setSignedIn, useMe } from '../../auth/session';
import { FullPageSpin } from '../../components/States';
import { describeError } from '../../lib/errors';
import { safeNext } from '../../lib/format';
import { homePath } from '../../lib/roles';

interface Values {
  username: string;
  password: string;
}

export default function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const next = safeNext(params.get('next'));
  const reason = params.get('reason');

  const signIn = useMutation({
    mutationFn: (v: Values) => startSession(v.username.trim(), v.password),
    onSuccess: ({ user }) => {
      setSignedIn(client, user);
      if (user.must_change_password) void navigate(changePasswordPath(next), { replace: true });
      else void navigate(next ?? homePath(user.role), { replace: true });
    },
  });

  if (me.isPending) return <FullPageSpin />;
  if (me.data && !signIn.isPending && !signIn.isSuccess) {
    const to = me.data.must_change_password ? changePasswordPath(next) : (next ?? homePath(me.data.role));
    return <Navigate to={to} replace />;
  }

  const error = signIn.error;
  const wrongCredentials = error instanceof ApiError && error.code === 'invalid_credentials';

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('auth.signInTitle')}
      </Typography.Title>
      {reason === 'expired' && !error && (
        <Alert type="warning" showIcon title={t('auth.sessionExpired')} style={{ marginBottom: 16 }} role="status" />
      )}
      {reason === 'signedOut' && !error && (
        <Alert type="info" showIcon title={t('auth.signedOut')} style={{ marginBottom: 16 }} role="status" />
      )}
      {error && (
        <Alert type="error" showIcon title={describeError(error, t)} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form<Values> layout="vertical" requiredMark={false} onFinish={(v) => signIn.mutate(v)} disabled={signIn.isPending}>
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
          validateStatus={wrongCredentials ? 'error' : undefined}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('auth.passwordRequired') }]}
          validateStatus={wrongCredentials ? 'error' : undefined}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
          {t('auth.signIn')}
        </Button>
      </Form>
    </Card>
  );
}
