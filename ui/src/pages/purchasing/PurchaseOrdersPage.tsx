import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Flex, Input, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PURCHASE_ORDERS_KEY, SUPPLIERS_KEY, purchaseOrdersApi, suppliersApi } from '../../api/purchasing';
import type { PoStatus, PurchaseOrder } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { sortOrderFor, useListParams } from '../../lib/listing';
import { PO_STATUSES, isPoStatus } from '../../lib/purchasing';
import { useDateTime, useMoney } from '../../lib/shop';
import { PoStatusTag } from './PoStatusTag';
import { PurchasingAlert } from './PurchasingAlert';
import { SupplierPicker } from './SupplierPicker';

/** 采购单: purchase orders, newest first, by status and supplier. */
export default function PurchaseOrdersPage() {
  const { t } = useTranslation();
  const phone = usePhone();
  const money = useMoney();
  const dateTime = useDateTime();
  const list = useListParams();
  const rawStatus = list.get('status');
  const status: PoStatus | undefined = isPoStatus(rawStatus) ? rawStatus : undefined;
  const supplierId = list.getInt('supplier');

  const params = { page: list.page, per_page: list.perPage, q: list.q, sort: list.sort, status, supplier_id: supplierId };
  const query = useQuery({
    queryKey: [...PURCHASE_ORDERS_KEY, params],
    queryFn: ({ signal }) => purchaseOrdersApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  // The supplier of a link (?supplier=ID), for the picker to show its name.
  const supplier = useQuery({
    queryKey: [...SUPPLIERS_KEY, supplierId],
    queryFn: ({ signal }) => suppliersApi.get(supplierId ?? 0, signal),
    enabled: supplierId !== undefined,
    retry: false,
  });
  const pickedSupplier =
    supplierId === undefined ? null : { id: supplierId, name: supplier.data?.name ?? `#${supplierId}` };

  const number = (o: PurchaseOrder) => (
    <Link to={`/purchase-orders/${o.id}`} data-testid="po-number">
      {o.number}
    </Link>
  );
  const total = (o: PurchaseOrder) => (
    <span className="nowrap" data-testid="po-total">
      {money(o.total)}
    </span>
  );
  const progress = (o: PurchaseOrder) => `${o.received_quantity} / ${o.quantity}`;

  const columns: TableColumnsType<PurchaseOrder> = phone
    ? [
        {
          title: t('purchasing.number'),
          key: 'summary',
          render: (_v, o) => (
            <Flex vertical gap={2} align="flex-start">
              <Flex gap={6} align="center" wrap>
                {number(o)} <PoStatusTag status={o.status} />
              </Flex>
              <Typography.Text type="secondary">{o.supplier_name}</Typography.Text>
              <Typography.Text type="secondary">{dateTime(o.created_at)}</Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('purchasing.total'),
          key: 'total',
          align: 'right',
          render: (_v, o) => (
            <Flex vertical gap={2} align="flex-end">
              {total(o)}
              <Typography.Text type="secondary">{progress(o)}</Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        {
          title: t('purchasing.number'),
          dataIndex: 'number',
          key: 'id',
          sorter: true,
          sortOrder: sortOrderFor(list.sort, 'id'),
          render: (_v, o) => number(o),
        },
        { title: t('purchasing.supplier'), dataIndex: 'supplier_name', key: 'supplier' },
        { title: t('common.status'), key: 'status', render: (_v, o) => <PoStatusTag status={o.status} /> },
        { title: t('purchasing.total'), key: 'total', align: 'right', render: (_v, o) => total(o) },
        { title: t('purchasing.progress'), key: 'progress', align: 'right', responsive: ['md'], render: (_v, o) => progress(o) },
        {
          title: t('purchasing.createdAt'),
          dataIndex: 'created_at',
          key: 'created_at',
          sorter: true,
          sortOrder: sortOrderFor(list.sort, 'created_at'),
          render: (_v, o) => dateTime(o.created_at),
        },
        { title: t('purchasing.orderedAt'), key: 'ordered_at', responsive: ['lg'], render: (_v, o) => dateTime(o.ordered_at) },
        { title: t('common.note'), key: 'note', responsive: ['xl'], render: (_v, o) => o.note ?? '' },
      ];

  return (
    <>
      <PageHeader
        title={t('nav.purchaseOrders')}
        extra={
          <Link to="/purchase-orders/new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t('purchasing.newOrder')}
            </Button>
          </Link>
        }
      />
      <Flex gap={8} wrap className="toolbar">
        <Input.Search
          allowClear
          defaultValue={list.q}
          placeholder={t('purchasing.searchOrders')}
          onSearch={(q) => list.set({ q })}
          style={{ maxWidth: 260 }}
          aria-label={t('common.search')}
        />
        <Select<PoStatus | undefined>
          allowClear
          value={status}
          placeholder={t('purchasing.allStatuses')}
          onChange={(s) => list.set({ status: s })}
          options={PO_STATUSES.map((s) => ({ value: s, label: t(`purchasing.poStatus.${s}`) }))}
          style={{ width: 160 }}
          aria-label={t('common.status')}
          data-testid="po-status-filter"
        />
        <SupplierPicker
          allowClear
          value={pickedSupplier}
          onChange={(s) => list.set({ supplier: s?.id })}
          placeholder={t('purchasing.allSuppliers')}
          style={{ width: 220 }}
          testId="po-supplier-filter"
        />
      </Flex>
      {query.isError && <PurchasingAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<PurchaseOrder>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{
          emptyText: <EmptyState description={list.q || status || supplierId ? undefined : t('purchasing.noOrders')} />,
        }}
        data-testid="purchase-orders-table"
        {...serverTableProps(list, query.data?.total, t)}
      />
    </>
  );
}
