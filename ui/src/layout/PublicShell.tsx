import { Flex, Layout, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { LangSwitch } from '../components/LangSwitch';

/** The frame of the sign-in and password pages: title, language switch, a centered card. */
export function PublicShell() {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="topbar">
        <Typography.Text strong className="brand">
          {t('app.title')}
        </Typography.Text>
        <LangSwitch />
      </Layout.Header>
      <Layout.Content>
        <Flex justify="center" style={{ padding: '48px 16px' }}>
          <div style={{ width: '100%', maxWidth: 400 }}>
            <Outlet />
          </div>
        </Flex>
      </Layout.Content>
    </Layout>
  );
}
