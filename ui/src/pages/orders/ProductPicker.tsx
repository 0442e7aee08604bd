import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { productsApi } from '../../api/products';
import type { Page } from '../../api/types';
import { useUser } from '../../auth/session';
import { inStock } from '../../lib/orderLines';
import type { Orderable } from '../../lib/orderLines';
import { atLeast } from '../../lib/roles';
import { useMoney } from '../../lib/shop';
import { useDebounced } from '../../lib/useDebounced';

/**
 * Search active products by name or SKU; picking one calls onPick and clears the box. Staff
 * see each product's stock; customers whether it is in stock (and how many, if the shop
 * shows it), and cannot pick one that is out of stock.
 */
export function ProductPicker({ onPick }: { onPick: (p: Orderable) => void }) {
  const { t } = useTranslation();
  const staff = atLeast(useUser().role, 'staff');
  const money = useMoney();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, status: 'active' as const, per_page: 20, sort: 'name' };
  const query = useQuery<Page<Orderable>>({
    queryKey: staff ? ['products', params] : ['products', 'catalogue', params],
    queryFn: ({ signal }) => (staff ? productsApi.list(params, signal) : productsApi.catalogue(params, signal)),
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];

  const stockText = (p: Orderable) => {
    if (typeof p.stock_quantity === 'number') return t('orders.inStock', { n: p.stock_quantity });
    return inStock(p) ? t('catalogue.inStock') : t('catalogue.outOfStock');
  };

  return (
    <Select<number | null, { value: number; label: string; product: Orderable; disabled: boolean }>
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
        label: [p.name, p.sku, money(p.price), stockText(p)].filter(Boolean).join(' · '),
        product: p,
        disabled: !staff && !inStock(p),
      }))}
      style={{ width: '100%' }}
      aria-label={t('orders.addProduct')}
      data-testid="product-picker"
    />
  );
}
