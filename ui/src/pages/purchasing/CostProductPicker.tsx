import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchCostedProducts } from '../../api/purchasing';
import type { CostedProduct } from '../../api/types';
import { useMoney } from '../../lib/shop';
import { useDebounced } from '../../lib/useDebounced';

/** Search active products by name or SKU, showing stock and cost price; picking one clears the box. */
export function CostProductPicker({ onPick }: { onPick: (p: CostedProduct) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const params = { q, per_page: 20, sort: 'name' };
  const query = useQuery({
    // Under 'products', so that stock and cost changes refresh it too.
    queryKey: ['products', 'purchasing', params],
    queryFn: ({ signal }) => searchCostedProducts(params, signal),
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];

  return (
    <Select<number | null, { value: number; label: string; product: CostedProduct }>
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      value={null}
      placeholder={t('purchasing.addProduct')}
      notFoundContent={query.isFetching ? t('common.loading') : t('common.noMatches')}
      loading={query.isFetching}
      onChange={(_id, option) => {
        const picked = Array.isArray(option) ? option[0] : option;
        if (picked) onPick(picked.product);
        setSearch('');
      }}
      options={items.map((p) => ({
        value: p.id,
        label: [
          p.name,
          p.sku,
          t('purchasing.currentStock', { n: p.stock_quantity }),
          p.cost_price ? t('purchasing.currentCost', { cost: money(p.cost_price) }) : null,
        ]
          .filter(Boolean)
          .join(' · '),
        product: p,
      }))}
      style={{ width: '100%' }}
      aria-label={t('purchasing.addProduct')}
      data-testid="po-product-picker"
    />
  );
}
