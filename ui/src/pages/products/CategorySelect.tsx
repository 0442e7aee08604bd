import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { CSSProperties } from 'react';
import { useMemo } from 'react';
import { CATEGORIES_KEY, categoriesApi } from '../../api/categories';
import type { Category } from '../../api/types';
import { categoryOptions, matchesCategory } from '../../lib/categories';

const NO_CATEGORIES: Category[] = [];

/** Every category, as the server lists them (a flat list with parent_id); every user may read it. */
export function useCategories() {
  const query = useQuery({
    queryKey: CATEGORIES_KEY,
    queryFn: ({ signal }) => categoriesApi.list(signal),
    staleTime: 60_000,
  });
  return { ...query, list: query.data ?? NO_CATEGORIES };
}

/**
 * A category chooser: the tree of categories, searchable by name. In a Form.Item it takes the
 * item's id (so the label names it); elsewhere give it an aria-label.
 */
export function CategorySelect({
  value,
  onChange,
  id,
  placeholder,
  style,
  'aria-label': ariaLabel,
  'data-testid': testId,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  id?: string;
  placeholder?: string;
  style?: CSSProperties;
  'aria-label'?: string;
  'data-testid'?: string;
}) {
  const categories = useCategories();
  const treeData = useMemo(() => categoryOptions(categories.list), [categories.list]);
  return (
    <TreeSelect<number | null>
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      treeData={treeData}
      loading={categories.isPending}
      allowClear
      treeDefaultExpandAll
      showSearch={{ filterTreeNode: (input, node) => matchesCategory(input, node) }}
      placeholder={placeholder}
      popupMatchSelectWidth={false}
      style={style}
      aria-label={ariaLabel}
      data-testid={testId}
    />
  );
}
