import type { TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import type { TFunction } from 'i18next';
import { sortParam } from '../lib/listing';
import type { SortOrder, useListParams } from '../lib/listing';

type List = ReturnType<typeof useListParams>;

/** Pagination and sorting of an antd Table done by the server, with the state in the URL. */
export function serverTableProps<T>(list: List, total: number | undefined, t: TFunction) {
  return {
    pagination: {
      current: list.page,
      pageSize: list.perPage,
      total: total ?? 0,
      showSizeChanger: true,
      showTotal: (n: number) => t('common.total', { count: n }),
    } satisfies TablePaginationConfig,
    onChange: (pagination: TablePaginationConfig, _filters: unknown, sorter: SorterResult<T> | SorterResult<T>[]) => {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      list.set(
        {
          page: pagination.current ?? 1,
          per_page: pagination.pageSize,
          sort: sortParam(s?.columnKey ?? s?.field, (s?.order ?? null) as SortOrder),
        },
        false,
      );
    },
  };
}
