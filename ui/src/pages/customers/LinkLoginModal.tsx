import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/admin';
import { customersApi } from '../../api/customers';
import type { Customer } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useDebounced } from '../../lib/useDebounced';

interface LoginOption {
  value: number;
  label: string;
  username: string;
}

/** Pick a customer login (a user with the customer role) by username, email or name. */
function LoginPicker({
  customerId,
  value,
  onChange,
}: {
  customerId: number;
  value: { id: number; username: string } | null;
  onChange: (v: { id: number; username: string } | null) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, role: 'customer' as const, per_page: 20, sort: 'username' };
  const query = useQuery({
    queryKey: ['users', params],
    queryFn: ({ signal }) => usersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const options: LoginOption[] = (query.data?.items ?? []).map((u) => ({
    value: u.id,
    username: u.username,
    label: [
      u.username,
      u.full_name,
      u.customer_id && u.customer_id !== customerId ? t('customers.loginHasRecord', { id: u.customer_id }) : null,
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  if (value && !options.some((o) => o.value === value.id))
    options.unshift({ value: value.id, label: value.username, username: value.username });

  return (
    <Select<number | null, LoginOption>
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      allowClear
      value={value?.id ?? null}
      placeholder={t('customers.noLogin')}
      notFoundContent={query.isFetching ? t('common.loading') : t('common.noMatches')}
      loading={query.isFetching}
      onChange={(id, option) => {
        const picked = Array.isArray(option) ? option[0] : option;
        onChange(id !== null && id !== undefined && picked ? { id, username: picked.username } : null);
        setSearch('');
      }}
      options={options}
      style={{ width: '100%' }}
      aria-label={t('customers.login')}
      data-testid="login-picker"
    />
  );
}

/** The customer's own login: orders placed by it go to this customer (admins). */
export function LinkLoginModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const current = customer.user_id ? { id: customer.user_id, username: customer.username ?? `#${customer.user_id}` } : null;
  const [value, setValue] = useState(current);
  const save = useMutation({
    mutationFn: () => customersApi.update(customer.id, { user_id: value?.id ?? null }),
    onSuccess: onClose,
  });
  return (
    <Modal
      open
      title={t('customers.linkTitle', { name: customer.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: (value?.id ?? null) === (current?.id ?? null) }}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {save.isError && <ErrorAlert error={save.error} />}
      <Typography.Paragraph>{t('customers.linkIntro', { name: customer.name })}</Typography.Paragraph>
      <LoginPicker customerId={customer.id} value={value} onChange={setValue} />
      <Alert style={{ marginTop: 16 }} type="info" showIcon role="note" title={t('customers.linkMerge')} />
    </Modal>
  );
}
