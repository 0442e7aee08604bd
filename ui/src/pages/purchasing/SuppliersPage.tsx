import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { SUPPLIERS_KEY, suppliersApi } from '../../api/purchasing';
import type { Supplier } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { describePurchasingError } from '../../lib/purchasingErrors';
import { useDateTime } from '../../lib/shop';
import { PurchasingAlert } from './PurchasingAlert';
import { SupplierFormModal } from './SupplierFormModal';

/** 供应商: who the shop buys from. One a purchase order names is archived, never deleted. */
export default function SuppliersPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const phone = usePhone();
  const dateTime = useDateTime();
  const list = useListParams('name');
  const archived = list.getBool('archived') === true;
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);

  const params = { page: list.page, per_page: list.perPage, q: list.q, sort: list.sort, archived };
  const query = useQuery({
    queryKey: [...SUPPLIERS_KEY, params],
    queryFn: ({ signal }) => suppliersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: SUPPLIERS_KEY });
  const failed = (err: unknown) => void message.error(describePurchasingError(err, t));

  const archive = useMutation({
    mutationFn: (s: Supplier) => suppliersApi.archive(s.id),
    onSuccess: (s) => {
      void message.success(t('purchasing.archivedDone', { name: s.name }));
      refresh();
    },
    onError: failed,
  });
  const restore = useMutation({
    mutationFn: (s: Supplier) => suppliersApi.restore(s.id),
    onSuccess: (s) => {
      void message.success(t('purchasing.restoredDone', { name: s.name }));
      refresh();
    },
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: (s: Supplier) => suppliersApi.remove(s.id),
    onSuccess: (_v, s) => {
      void message.success(t('purchasing.deletedDone', { name: s.name }));
      refresh();
    },
    onError: (err, s) => {
      // Purchase orders name it: it can only be archived. Say why, and offer that.
      if (err instanceof ApiError && err.code === 'supplier_in_use') {
        const n = typeof err.details['purchase_orders'] === 'number' ? err.details['purchase_orders'] : 1;
        void modal.confirm({
          title: t('purchasing.inUseTitle', { name: s.name }),
          content: t('purchasing.inUseBody', { n }),
          okText: t('purchasing.archiveInstead'),
          cancelText: t('common.cancel'),
          onOk: () => archive.mutateAsync(s).catch(() => undefined),
        });
        return;
      }
      failed(err);
    },
  });

  const busy = (s: Supplier) =>
    (archive.isPending && archive.variables?.id === s.id) ||
    (restore.isPending && restore.variables?.id === s.id) ||
    (remove.isPending && remove.variables?.id === s.id);

  const actions = (s: Supplier) => (
    <Flex gap={4} wrap>
      <Button size="small" onClick={() => setEditing(s)} aria-label={`${t('common.edit')} ${s.name}`}>
        {t('common.edit')}
      </Button>
      {s.archived ? (
        <Button size="small" loading={busy(s)} onClick={() => restore.mutate(s)} aria-label={`${t('purchasing.restore')} ${s.name}`}>
          {t('purchasing.restore')}
        </Button>
      ) : (
        <Button size="small" loading={busy(s)} onClick={() => archive.mutate(s)} aria-label={`${t('purchasing.archive')} ${s.name}`}>
          {t('purchasing.archive')}
        </Button>
      )}
      <Popconfirm
        title={t('purchasing.deleteConfirm', { name: s.name })}
        okText={t('common.delete')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() => remove.mutate(s)}
      >
        <Button size="small" danger disabled={busy(s)} aria-label={`${t('common.delete')} ${s.name}`}>
          {t('common.delete')}
        </Button>
      </Popconfirm>
    </Flex>
  );

  const name = (s: Supplier) => (
    <Flex gap={4} align="center" wrap>
      <Link to={`/purchase-orders?supplier=${s.id}`}>{s.name}</Link>
      {s.archived && <Tag>{t('purchasing.archivedTag')}</Tag>}
    </Flex>
  );

  const columns: TableColumnsType<Supplier> = phone
    ? [
        {
          title: t('purchasing.supplierName'),
          key: 'summary',
          render: (_v, s) => (
            <Flex vertical gap={4} align="flex-start">
              {name(s)}
              {(s.contact || s.phone) && (
                <Typography.Text type="secondary">{[s.contact, s.phone].filter(Boolean).join(' · ')}</Typography.Text>
              )}
              {actions(s)}
            </Flex>
          ),
        },
      ]
    : [
        {
          title: t('purchasing.supplierName'),
          dataIndex: 'name',
          key: 'name',
          sorter: true,
          sortOrder: sortOrderFor(list.sort, 'name'),
          render: (_v, s) => name(s),
        },
        { title: t('purchasing.contact'), key: 'contact', render: (_v, s) => s.contact ?? '' },
        { title: t('purchasing.phone'), key: 'phone', render: (_v, s) => s.phone ?? '' },
        { title: t('purchasing.address'), key: 'address', responsive: ['lg'], render: (_v, s) => s.address ?? '' },
        { title: t('common.note'), key: 'note', responsive: ['xl'], render: (_v, s) => s.note ?? '' },
        {
          title: t('common.createdAt'),
          dataIndex: 'created_at',
          key: 'created_at',
          responsive: ['md'],
          sorter: true,
          sortOrder: sortOrderFor(list.sort, 'created_at'),
          render: (_v, s) => dateTime(s.created_at),
        },
        { title: t('common.actions'), key: 'actions', render: (_v, s) => actions(s) },
      ];

  return (
    <>
      <PageHeader
        title={t('nav.suppliers')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('purchasing.newSupplier')}
          </Button>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('purchasing.searchSuppliers')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 280 }}
          aria-label={t('common.search')}
        />
        <Checkbox checked={archived} onChange={(e) => list.set({ archived: e.target.checked })}>
          {t('purchasing.showArchived')}
        </Checkbox>
      </Flex>
      {query.isError && <PurchasingAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<Supplier>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={list.q ? undefined : t('purchasing.noSuppliers')} /> }}
        data-testid="suppliers-table"
        {...serverTableProps(list, query.data?.total, t)}
      />
      {editing !== null && (
        <SupplierFormModal
          supplier={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            void message.success(t('common.saved'));
            refresh();
          }}
        />
      )}
    </>
  );
}
