import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/admin';
import type { Role, User, UserPatch } from '../../api/types';
import { ROLES } from '../../api/types';
import { useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { describeError } from '../../lib/errors';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { canManageUser, grantableRoles } from '../../lib/roles';
import { useDateTime } from '../../lib/shop';
import { NewUserModal, ResetPasswordModal } from './UserModals';

function isRole(v: string | undefined): v is Role {
  return (ROLES as readonly string[]).includes(v ?? '');
}

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useUser();
  const { message } = App.useApp();
  const dateTime = useDateTime();
  const list = useListParams('username');
  const roleParam = list.get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const [modal, setModal] = useState<{ kind: 'new' } | { kind: 'reset'; user: User } | null>(null);

  const params = { page: list.page, per_page: list.perPage, q: list.q, sort: list.sort, role };
  const query = useQuery({
    queryKey: ['users', params],
    queryFn: ({ signal }) => usersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const patch = useMutation({
    mutationFn: ({ id, body }: { id: number; body: UserPatch }) => usersApi.update(id, body),
    onSuccess: () => void message.success(t('common.saved')),
    onError: (err) => void message.error(describeError(err, t)),
  });
  const grantable = grantableRoles(me.role);

  const sortable = (field: string) => ({ sorter: true, sortOrder: sortOrderFor(list.sort, field) });
  const columns: TableColumnsType<User> = [
    { title: t('auth.username'), dataIndex: 'username', key: 'username', ...sortable('username') },
    { title: t('users.fullName'), dataIndex: 'full_name', key: 'full_name', responsive: ['md'], render: (_v, u) => u.full_name ?? '' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      key: 'role',
      ...sortable('role'),
      render: (_v, u) =>
        canManageUser(me, u) && grantable.includes(u.role) ? (
          <Select<Role>
            size="small"
            value={u.role}
            options={grantable.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(r) => patch.mutate({ id: u.id, body: { role: r } })}
            style={{ width: 120 }}
            aria-label={t('users.changeRole', { username: u.username })}
          />
        ) : (
          <Tag>{t(`role.${u.role}`)}</Tag>
        ),
    },
    {
      title: t('common.status'),
      dataIndex: 'is_active',
      key: 'active',
      render: (_v, u) => (
        <Space size={4} wrap>
          {u.is_active ? <Tag color="green">{t('users.active')}</Tag> : <Tag color="red">{t('users.disabled')}</Tag>}
          {u.must_change_password && <Tag color="gold">{t('users.mustChangeTag')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'last_login_at',
      key: 'last_login_at',
      responsive: ['md'],
      ...sortable('last_login_at'),
      render: (_v, u) => dateTime(u.last_login_at),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, u) =>
        canManageUser(me, u) ? (
          <Space size={0} wrap>
            <Popconfirm
              title={u.is_active ? t('users.disableConfirm', { username: u.username }) : t('users.enableConfirm', { username: u.username })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => patch.mutateAsync({ id: u.id, body: { is_active: !u.is_active } }).catch(() => undefined)}
            >
              <Button type="link" size="small" danger={u.is_active}>
                {u.is_active ? t('users.disable') : t('users.enable')}
              </Button>
            </Popconfirm>
            <Button type="link" size="small" onClick={() => setModal({ kind: 'reset', user: u })}>
              {t('users.resetPassword')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ kind: 'new' })}>
            {t('users.new')}
          </Button>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('users.searchPlaceholder')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 280 }}
          aria-label={t('common.search')}
        />
        <Select<Role | 'all'>
          value={role ?? 'all'}
          onChange={(v) => list.set({ role: v === 'all' ? undefined : v })}
          options={[{ value: 'all', label: t('users.allRoles') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))]}
          style={{ width: 140 }}
          aria-label={t('users.role')}
        />
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        {...serverTableProps(list, query.data?.total, t)}
      />
      {modal?.kind === 'new' && <NewUserModal roles={grantable} onClose={() => setModal(null)} />}
      {modal?.kind === 'reset' && <ResetPasswordModal user={modal.user} onClose={() => setModal(null)} />}
    </>
  );
}
