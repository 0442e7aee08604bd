import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { purchaseOrderKey, purchaseOrdersApi } from '../../api/purchasing';
import type { PoLine, PoReceipt, PurchaseOrderDetail } from '../../api/types';
import { NotFound } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, FullPageSpin } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import { positiveInt } from '../../lib/listing';
import { canCancel, canEdit, canOrder, canReceive, canReturn, lineCostCents, lineName } from '../../lib/purchasing';
import { describePurchasingError } from '../../lib/purchasingErrors';
import { useDateTime, useMoney } from '../../lib/shop';
import { PoStatusTag } from './PoStatusTag';
import { PurchasingAlert } from './PurchasingAlert';
import { QuantitiesModal } from './QuantitiesModal';
import type { QuantitiesKind } from './QuantitiesModal';

export default function PurchaseOrderDetailPage() {
  const id = positiveInt(useParams().id ?? null, 0);
  const query = useQuery({
    queryKey: purchaseOrderKey(id),
    queryFn: ({ signal }) => purchaseOrdersApi.get(id, signal),
    enabled: id > 0,
  });
  if (id === 0) return <NotFound />;
  if (query.isPending) return <FullPageSpin />;
  if (query.isError) return <PurchasingAlert error={query.error} onRetry={() => void query.refetch()} />;
  return <PoView po={query.data} />;
}

type Move = 'ordered' | 'cancelled';

function PoView({ po }: { po: PurchaseOrderDetail }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const [dialog, setDialog] = useState<QuantitiesKind | null>(null);

  const move = useMutation({
    mutationFn: (to: Move) => purchaseOrdersApi.setStatus(po.id, to),
    onSuccess: (after) => {
      client.setQueryData(purchaseOrderKey(po.id), after);
      void message.success(t('purchasing.movedTo', { status: t(`purchasing.poStatus.${after.status}`) }));
    },
    onError: (err) => {
      // A double click, or another desk got there first: say so and show it as it is.
      if (err instanceof ApiError && err.code === 'already_in_status') {
        void message.info(describePurchasingError(err, t));
        move.reset();
        void client.invalidateQueries({ queryKey: purchaseOrderKey(po.id) });
      }
    },
  });

  const cancel = () =>
    void modal.confirm({
      title: t('purchasing.cancelConfirmTitle', { number: po.number }),
      content: t('purchasing.cancelConfirmBody'),
      okText: t('purchasing.cancelOrder'),
      okButtonProps: { danger: true },
      cancelText: t('purchasing.keepOrder'),
      onOk: () => move.mutateAsync('cancelled').catch(() => undefined),
    });

  const cost = (l: PoLine) =>
    l.unit_cost ? money(l.unit_cost) : <Typography.Text type="secondary">{t('purchasing.noCost')}</Typography.Text>;
  const lineTotal = (l: PoLine) => {
    const c = lineCostCents(l.quantity, l.unit_cost);
    return (
      <span className="nowrap" data-testid="po-line-total">
        {c === null ? '—' : money(c)}
      </span>
    );
  };
  const productLink = (l: PoLine) => <Link to={`/products/${l.product_id}`}>{l.product_name}</Link>;

  const columns: TableColumnsType<PoLine> = phone
    ? [
        {
          title: t('purchasing.product'),
          key: 'line',
          render: (_v, l) => (
            <>
              <div>{productLink(l)}</div>
              <Typography.Text type="secondary">
                {l.sku} · {cost(l)} × {l.quantity}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {t('purchasing.receivedQty')} {l.received_quantity}
                  {l.returned_quantity > 0 && ` · ${t('purchasing.returnedQty')} ${l.returned_quantity}`}
                </Typography.Text>
              </div>
            </>
          ),
        },
        { title: t('purchasing.lineTotal'), key: 'total', align: 'right', render: (_v, l) => lineTotal(l) },
      ]
    : [
        { title: t('products.sku'), dataIndex: 'sku', key: 'sku' },
        { title: t('purchasing.product'), key: 'name', render: (_v, l) => productLink(l) },
        { title: t('purchasing.orderedQty'), dataIndex: 'quantity', key: 'qty', align: 'right' },
        {
          title: t('purchasing.receivedQty'),
          key: 'received',
          align: 'right',
          render: (_v, l) => <span data-testid="po-line-received">{l.received_quantity}</span>,
        },
        {
          title: t('purchasing.returnedQty'),
          key: 'returned',
          align: 'right',
          render: (_v, l) => <span data-testid="po-line-returned">{l.returned_quantity}</span>,
        },
        { title: t('purchasing.unitCost'), key: 'cost', align: 'right', render: (_v, l) => cost(l) },
        { title: t('purchasing.lineTotal'), key: 'total', align: 'right', render: (_v, l) => lineTotal(l) },
      ];

  const historyColumns: TableColumnsType<PoReceipt> = [
    { title: t('common.time'), key: 'time', render: (_v, r) => <span className="nowrap">{dateTime(r.created_at)}</span> },
    {
      title: t('purchasing.kindLabel'),
      key: 'kind',
      render: (_v, r) => (
        <Tag color={r.kind === 'receipt' ? 'green' : 'volcano'} data-kind={r.kind}>
          {t(`purchasing.kind.${r.kind}`)}
        </Tag>
      ),
    },
    {
      title: t('purchasing.product'),
      key: 'lines',
      render: (_v, r) => (
        <>
          {r.lines.map((l) => (
            <div key={l.line_id}>
              {lineName(po.lines, l.line_id)} × {l.quantity}
            </div>
          ))}
        </>
      ),
    },
    { title: t('purchasing.operator'), dataIndex: 'created_by', key: 'by' },
    { title: t('common.note'), key: 'note', render: (_v, r) => r.note ?? '' },
  ];

  const back = (
    <Link to="/purchase-orders" aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );

  return (
    <>
      <PageHeader
        back={back}
        title={
          <>
            <span data-testid="po-number">{po.number}</span> <PoStatusTag status={po.status} />
          </>
        }
        extra={
          <>
            {canEdit(po) && (
              <Link to={`/purchase-orders/${po.id}/edit`}>
                <Button>{t('common.edit')}</Button>
              </Link>
            )}
            {canOrder(po) && (
              <Button
                type="primary"
                loading={move.isPending && move.variables === 'ordered'}
                disabled={move.isPending}
                onClick={() => move.mutate('ordered')}
              >
                {t('purchasing.markOrdered')}
              </Button>
            )}
            {canReceive(po) && (
              <Button type="primary" onClick={() => setDialog('receipt')}>
                {t('purchasing.receive')}
              </Button>
            )}
            {canReturn(po) && <Button onClick={() => setDialog('return')}>{t('purchasing.returnGoods')}</Button>}
            {canCancel(po) && (
              <Button danger loading={move.isPending && move.variables === 'cancelled'} disabled={move.isPending} onClick={cancel}>
                {t('purchasing.cancelOrder')}
              </Button>
            )}
          </>
        }
      />
      {move.isError && <PurchasingAlert error={move.error} />}
      <Card className="section">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          size="small"
          items={[
            {
              key: 'supplier',
              label: t('purchasing.supplier'),
              children: <Link to={`/purchase-orders?supplier=${po.supplier_id}`}>{po.supplier_name}</Link>,
            },
            { key: 'status', label: t('common.status'), children: <PoStatusTag status={po.status} /> },
            {
              key: 'total',
              label: t('purchasing.total'),
              children: <strong data-testid="po-detail-total">{money(po.total)}</strong>,
            },
            { key: 'created', label: t('purchasing.createdAt'), children: dateTime(po.created_at) },
            { key: 'ordered', label: t('purchasing.orderedAt'), children: po.ordered_at ? dateTime(po.ordered_at) : '—' },
            { key: 'progress', label: t('purchasing.progress'), children: `${po.received_quantity} / ${po.quantity}` },
            ...(po.note ? [{ key: 'note', label: t('common.note'), children: po.note }] : []),
          ]}
        />
      </Card>
      <Card className="section" title={t('purchasing.lines')}>
        <Table<PoLine>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={po.lines}
          pagination={false}
          scroll={phone ? undefined : { x: 'max-content' }}
          data-testid="po-detail-lines"
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={columns.length - 1} align="right">
                <strong>{t('purchasing.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <strong className="nowrap">{money(po.total)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
      <Card className="section" title={t('purchasing.history')}>
        <Table<PoReceipt>
          rowKey="id"
          size="small"
          columns={historyColumns}
          dataSource={po.receipts}
          pagination={false}
          scroll={phone ? undefined : { x: 'max-content' }}
          locale={{ emptyText: <EmptyState description={t('purchasing.noHistory')} /> }}
          data-testid="po-history"
        />
      </Card>
      {dialog !== null && <QuantitiesModal key={dialog} po={po} kind={dialog} onClose={() => setDialog(null)} />}
    </>
  );
}
