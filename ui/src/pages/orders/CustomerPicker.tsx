import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customersApi } from '../../api/customers';
import { useDebounced } from '../../lib/useDebounced';

/** Pick a customer by name, phone or email; empty means a walk-in sale (or, elsewhere, none). */
export function CustomerPicker({
  value,
  onChange,
  placeholder,
  label,
  testId = 'customer-picker',
}: {
  value: { id: number; name: string } | null;
  onChange: (c: { id: number; name: string } | null) => void;
  placeholder?: string;
  label?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, per_page: 20, sort: 'name' };
  const query = useQuery({
    queryKey: ['customers', params],
    queryFn: ({ signal }) => customersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const options = (query.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.phone ? `${c.name} · ${c.phone}` : c.name,
    name: c.name,
  }));
  if (value && !options.some((o) => o.value === value.id)) options.unshift({ value: value.id, label: value.name, name: value.name });

  return (
    <Select<number | null, { value: number; label: string; name: string }>
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      allowClear
      value={value?.id ?? null}
      placeholder={placeholder ?? t('orders.walkInPlaceholder')}
      notFoundContent={query.isFetching ? t('common.loading') : t('common.noMatches')}
      loading={query.isFetching}
      onChange={(id, option) => {
        const picked = Array.isArray(option) ? option[0] : option;
        onChange(id !== null && id !== undefined && picked ? { id, name: picked.name } : null);
        setSearch('');
      }}
      options={options}
      style={{ width: '100%' }}
      aria-label={label ?? t('orders.customer')}
      data-testid={testId}
    />
  );
}
