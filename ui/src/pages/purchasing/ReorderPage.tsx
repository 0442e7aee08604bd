import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { REORDER_KEY, purchaseOrderKey, purchaseOrdersApi } from '../../api/purchasing';
import type { ReorderSuggestion } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { useMoney } from '../../lib/shop';
import { PurchasingAlert } from './PurchasingAlert';
import { SupplierPicker } from './SupplierPicker';
import type { PickedSupplier } from './SupplierPicker';

/** 补货建议: products at or under their low-stock threshold; pick some and a supplier for a draft. */
export default function ReorderPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const money = useMoney();
  const phone = usePhone();
  const [selected, setSelected] = useState<number[]>([]);
  const [supplier, setSupplier] = useState<PickedSupplier | null>(null);
  const query = useQuery({ queryKey: REORDER_KEY, queryFn: ({ signal }) => purchaseOrdersApi.suggestions(signal) });
  const rows = query.data ?? [];

  const create = useMutation({
    mutationFn: () => purchaseOrdersApi.fromSuggestions({ supplier_id: supplier?.id ?? 0, product_ids: selected }),
    onSuccess: (po) => {
      client.setQueryData(purchaseOrderKey(po.id), po);
      void message.success(t('purchasing.draftCreated', { number: po.number }));
      void navigate(`/purchase-orders/${po.id}`);
    },
  });

  const onSelect = (keys: number[], picked: ReorderSuggestion[]) => {
    setSelected(keys);
    if (create.isError) create.reset();
    // No supplier yet: start at the one these products were last bought from.
    const last = picked.find((s) => s.last_supplier_id && s.last_supplier_name);
    if (!supplier && last?.last_supplier_id && last.last_supplier_name) {
      setSupplier({ id: last.last_supplier_id, name: last.last_supplier_name });
    }
  };

  const columns: TableColumnsType<ReorderSuggestion> = [
    {
      title: t('purchasing.product'),
      key: 'name',
      render: (_v, s) => (
        <>
          <div>
            <Link to={`/products/${s.product_id}`}>{s.name}</Link>
          </div>
          <Typography.Text type="secondary">
            {s.sku}
            {s.unit ? ` · ${s.unit}` : ''}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('purchasing.stock'),
      dataIndex: 'stock_quantity',
      key: 'stock',
      align: 'right',
      render: (_v, s) => <Typography.Text type="danger">{s.stock_quantity}</Typography.Text>,
    },
    ...(phone
      ? []
      : [
          { title: t('purchasing.threshold'), dataIndex: 'low_stock_threshold', key: 'threshold', align: 'right' as const },
          { title: t('purchasing.onOrder'), dataIndex: 'on_order', key: 'on_order', align: 'right' as const },
        ]),
    {
      title: t('purchasing.suggestedQty'),
      key: 'suggested',
      align: 'right',
      render: (_v, s) => <strong data-testid="reorder-suggested">{s.suggested_quantity}</strong>,
    },
    ...(phone
      ? []
      : [
          {
            title: t('purchasing.costPrice'),
            key: 'cost',
            align: 'right' as const,
            render: (_v: unknown, s: ReorderSuggestion) => (s.cost_price ? money(s.cost_price) : '—'),
          },
          {
            title: t('purchasing.lastSupplier'),
            key: 'last',
            render: (_v: unknown, s: ReorderSuggestion) => s.last_supplier_name ?? '—',
          },
        ]),
  ];

  return (
    <>
      <PageHeader title={t('nav.reorder')} />
      <Typography.Paragraph type="secondary">{t('purchasing.reorderHelp')}</Typography.Paragraph>
      {query.isError && <PurchasingAlert error={query.error} onRetry={() => void query.refetch()} />}
      {create.isError && <PurchasingAlert error={create.error} />}
      <Flex gap={8} wrap align="center" className="toolbar">
        <SupplierPicker value={supplier} onChange={setSupplier} style={{ width: 260 }} testId="reorder-supplier" />
        <Button
          type="primary"
          disabled={selected.length === 0 || !supplier}
          loading={create.isPending}
          onClick={() => create.mutate()}
        >
          {t('purchasing.createDraft')}
        </Button>
        {selected.length > 0 && <Typography.Text type="secondary">{t('purchasing.selectedN', { n: selected.length })}</Typography.Text>}
      </Flex>
      <Table<ReorderSuggestion>
        rowKey="product_id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={query.isFetching}
        pagination={false}
        scroll={phone ? undefined : { x: 'max-content' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys, picked) => onSelect(keys.map(Number), picked),
          getCheckboxProps: (s) => ({ 'aria-label': s.name }),
        }}
        locale={{ emptyText: <EmptyState description={t('purchasing.noSuggestions')} /> }}
        data-testid="reorder-table"
      />
    </>
  );
}
