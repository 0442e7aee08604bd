import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { productsApi } from '../../api/products';
import type { Product } from '../../api/types';
import { useMoney } from '../../lib/shop';
import { useDebounced } from '../../lib/useDebounced';

/** Search active products by name or SKU; picking one calls onPick and clears the box. */
export function ProductPicker({ onPick }: { onPick: (p: Product) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, status: 'active' as const, per_page: 20, sort: 'name' };
  const query = useQuery({
    queryKey: ['products', params],
    queryFn: ({ signal }) => productsApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];

  return (
    <Select<number | null, { value: number; label: string; product: Product }>
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      value={null}
      placeholder={t('orders.addProduct')}
      notFoundContent={query.isFetching ? t('common.loading') : t('common.noMatches')}
      loading={query.isFetching}
      onChange={(_id, option) => {
        // The product travels with its option: the list may change while the user clicks.
        const picked = Array.isArray(option) ? option[0] : option;
        if (picked) onPick(picked.product);
        setSearch('');
      }}
      options={items.map((p) => ({
        value: p.id,
        label: `${p.name} · ${p.sku} · ${money(p.price)} · ${t('orders.inStock', { n: p.stock_quantity })}`,
        product: p,
      }))}
      style={{ width: '100%' }}
      aria-label={t('orders.addProduct')}
      data-testid="product-picker"
    />
  );
}
