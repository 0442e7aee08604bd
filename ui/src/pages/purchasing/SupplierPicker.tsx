import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPPLIERS_KEY, suppliersApi } from '../../api/purchasing';
import { useDebounced } from '../../lib/useDebounced';

export interface PickedSupplier {
  id: number;
  name: string;
}

/** Search the suppliers still offered (not archived) by name, contact or phone. */
export function SupplierPicker({
  value,
  onChange,
  allowClear = false,
  placeholder,
  id,
  status,
  testId = 'supplier-picker',
  style,
}: {
  value: PickedSupplier | null;
  onChange: (s: PickedSupplier | null) => void;
  allowClear?: boolean;
  placeholder?: string;
  id?: string;
  status?: 'error';
  testId?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, per_page: 20, sort: 'name' };
  const query = useQuery({
    queryKey: [...SUPPLIERS_KEY, params],
    queryFn: ({ signal }) => suppliersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const options = (query.data?.items ?? []).map((s) => ({
    value: s.id,
    label: [s.name, s.contact, s.phone].filter(Boolean).join(' · '),
    name: s.name,
  }));
  if (value && !options.some((o) => o.value === value.id)) options.unshift({ value: value.id, label: value.name, name: value.name });

  return (
    <Select<number | null, { value: number; label: string; name: string }>
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      allowClear={allowClear}
      value={value?.id ?? null}
      status={status}
      placeholder={placeholder ?? t('purchasing.pickSupplier')}
      notFoundContent={query.isFetching ? t('common.loading') : t('common.noMatches')}
      loading={query.isFetching}
      onChange={(picked, option) => {
        const o = Array.isArray(option) ? option[0] : option;
        onChange(picked !== null && picked !== undefined && o ? { id: picked, name: o.name } : null);
        setSearch('');
      }}
      options={options}
      style={{ width: '100%', ...style }}
      aria-label={t('purchasing.supplier')}
      data-testid={testId}
    />
  );
}
