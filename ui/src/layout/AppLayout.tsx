import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { endSession } from '../api/auth';
import { changePasswordPath } from '../auth/paths';
import { setSignedOut, useUser } from '../auth/session';
import { LangSwitch } from '../components/LangSwitch';
import { useSettings } from '../lib/shop';
import { activeNav, navFor } from './nav';

/** The signed-in frame: side menu (a drawer on phones), top bar, the page. */
export default function AppLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const settings = useSettings();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const items = navFor(user.role);
  const selected = activeNav(location.pathname, items);
  const menuItems: MenuProps['items'] = items.map((n) => ({ key: n.path, icon: n.icon, label: t(`nav.${n.key}`) }));
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [items.find((n) => n.key === selected)?.path ?? ''] : []}
      items={menuItems}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      data-testid="nav"
    />
  );

  // RequireUser takes the browser to the sign-in page once the user is gone.
  const signOut = useMutation({ mutationFn: endSession, onSettled: () => setSignedOut(client, 'signedOut') });

  const brand = settings.data?.business_name || t('app.title');
  const userMenu: MenuProps['items'] = [
    { key: 'role', label: t(`role.${user.role}`), disabled: true },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: t('auth.changePassword') },
    { key: 'signout', icon: <LogoutOutlined />, label: t('auth.signOut'), danger: true },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider width={208} theme="light" className="no-print sider">
          <div className="sider-brand">{brand}</div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="topbar no-print">
          <Flex align="center" gap={8} style={{ minWidth: 0 }}>
            {mobile && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('nav.menu')}
                onClick={() => setDrawerOpen(true)}
                data-testid="menu-button"
              />
            )}
            {mobile && (
              <Typography.Text strong ellipsis className="brand">
                {brand}
              </Typography.Text>
            )}
          </Flex>
          <Flex align="center" gap={8} style={{ marginInlineStart: 'auto' }}>
            <LangSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: userMenu,
                onClick: ({ key }) => {
                  if (key === 'signout') signOut.mutate();
                  if (key === 'password') void navigate(changePasswordPath(location.pathname + location.search));
                },
              }}
            >
              <Button icon={<UserOutlined />} data-testid="user-menu">
                <span className="username">{user.username}</span>
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content className="content">
          <Outlet />
        </Layout.Content>
      </Layout>
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          title={brand}
          styles={{ body: { padding: 0 } }}
          // Picking a page closes the drawer: focus stays on the new page, not the menu button.
          focusable={{ focusTriggerAfterClose: false }}
        >
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}
