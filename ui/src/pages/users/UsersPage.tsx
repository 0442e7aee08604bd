import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usersApi } from '../../api/admin';
import { customersApi } from '../../api/customers';
import type { Role, UserPatch, UserView } from '../../api/types';
import { ROLES } from '../../api/types';
import { changePasswordPath } from '../../auth/paths';
import { useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { describeError } from '../../lib/errors';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { useDateTime } from '../../lib/shop';
import { EditUserModal, LinkCustomerModal, NewUserModal, ResetPasswordModal } from './UserModals';

function isRole(v: string | undefined): v is Role {
  return (ROLES as readonly string[]).includes(v ?? '');
}

type ModalState =
  | { kind: 'new' }
  | { kind: 'edit'; user: UserView }
  | { kind: 'reset'; user: UserView }
  | { kind: 'link'; user: UserView };

/** The customer record a customer login is linked to, by name. */
function CustomerRecordLink({ id }: { id: number }) {
  const query = useQuery({
    queryKey: ['customer', id],
    queryFn: ({ signal }) => customersApi.get(id, signal),
    staleTime: 60_000,
  });
  return <Link to={`/customers/${id}`}>{query.data?.name ?? `#${id}`}</Link>;
}

/**
 * The accounts. Every control comes from the account's `actions`, which the server works out
 * with the same checks its changes run: what is shown works.
 */
export default function UsersPage() {
  const { t } = useTranslation();
  const me = useUser();
  const { message } = App.useApp();
  const dateTime = useDateTime();
  const list = useListParams('username');
  const roleParam = list.get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const [modal, setModal] = useState<ModalState | null>(null);

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
  const remove = useMutation({
    mutationFn: (id: number) => usersApi.remove(id),
    onSuccess: () => void message.success(t('users.deleted')),
    onError: (err) => void message.error(describeError(err, t)),
  });
  // The roles this user may give a new account (GET /api/auth/me); none: no "new user".
  const grantable = me.grantable_roles ?? [];

  const sortable = (field: string) => ({ sorter: true, sortOrder: sortOrderFor(list.sort, field) });
  const columns: TableColumnsType<UserView> = [
    {
      title: t('auth.username'),
      dataIndex: 'username',
      key: 'username',
      ...sortable('username'),
      render: (_v, u) => (
        <>
          {u.username} {u.id === me.id && <Tag>{t('users.you')}</Tag>}
        </>
      ),
    },
    { title: t('users.fullName'), dataIndex: 'full_name', key: 'full_name', responsive: ['md'], render: (_v, u) => u.full_name ?? '' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      key: 'role',
      ...sortable('role'),
      render: (_v, u) => {
        const roles = u.actions.roles;
        if (roles.length === 0) return <Tag>{t(`role.${u.role}`)}</Tag>;
        const options = roles.includes(u.role) ? roles : [u.role, ...roles];
        return (
          <Select<Role>
            size="small"
            value={u.role}
            options={options.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(r) => patch.mutate({ id: u.id, body: { role: r } })}
            style={{ width: 120 }}
            aria-label={t('users.changeRole', { username: u.username })}
            data-testid="user-role"
          />
        );
      },
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
      title: t('users.customerRecord'),
      key: 'customer',
      responsive: ['md'],
      render: (_v, u) => (u.role === 'customer' && u.customer_id ? <CustomerRecordLink id={u.customer_id} /> : null),
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
      render: (_v, u) => {
        const a = u.actions;
        return (
          <Space size={0} wrap data-testid="user-actions">
            {a.edit && (
              <Button type="link" size="small" onClick={() => setModal({ kind: 'edit', user: u })}>
                {t('common.edit')}
              </Button>
            )}
            {a.link_customer && (
              <Button type="link" size="small" onClick={() => setModal({ kind: 'link', user: u })}>
                {t('users.linkCustomer')}
              </Button>
            )}
            {a.disable && (
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
            )}
            {a.reset_password && (
              <Button type="link" size="small" onClick={() => setModal({ kind: 'reset', user: u })}>
                {t('users.resetPassword')}
              </Button>
            )}
            {/* One's own password is changed with the current one, under one's own account. */}
            {u.id === me.id && (
              <Link to={changePasswordPath('/users')}>
                <Button type="link" size="small">
                  {t('auth.changePassword')}
                </Button>
              </Link>
            )}
            {a.delete && (
              <Popconfirm
                title={t('users.deleteConfirm', { username: u.username })}
                description={t('users.deleteHint')}
                okText={t('users.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutateAsync(u.id).catch(() => undefined)}
              >
                <Button type="link" size="small" danger>
                  {t('users.delete')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        extra={
          grantable.length > 0 && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ kind: 'new' })}>
              {t('users.new')}
            </Button>
          )
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
      <Table<UserView>
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
      {modal?.kind === 'edit' && <EditUserModal user={modal.user} onClose={() => setModal(null)} />}
      {modal?.kind === 'reset' && <ResetPasswordModal user={modal.user} onClose={() => setModal(null)} />}
      {modal?.kind === 'link' && <LinkCustomerModal user={modal.user} onClose={() => setModal(null)} />}
    </>
  );
}
