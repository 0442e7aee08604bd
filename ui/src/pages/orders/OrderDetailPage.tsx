import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { App, Button, Card, Descriptions, Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ordersApi } from '../../api/orders';
import type { OrderItem, OrderStatus, OrderView as Order } from '../../api/types';
import { useUser } from '../../auth/session';
import { NotFound } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryView } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { usePhone } from '../../components/usePhone';
import { positiveInt } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { useDateTime, useMoney } from '../../lib/shop';
import { adjustmentRows, includedTax } from '../../lib/adjustments';
import { GoodsCards, ShipToCard } from './GoodsCards';
import { LinePrice } from './LinePrice';
import { ShipModal } from './ShipModal';
import { PackingSlip } from './PackingSlip';
import { PaymentsCard } from './PaymentsCard';
import type { SlipKind } from './PackingSlip';

export default function OrderDetailPage() {
  const id = positiveInt(useParams().id ?? null, 0);
  const query = useQuery({ queryKey: ['order', id], queryFn: ({ signal }) => ordersApi.get(id, signal), enabled: id > 0 });
  if (id === 0) return <NotFound />;
  return <QueryView query={query}>{(order) => <OrderView order={order} />}</QueryView>;
}

function OrderView({ order }: { order: Order }) {
  const { t } = useTranslation();
  const user = useUser();
  const staff = atLeast(user.role, 'staff');
  const { modal, message } = App.useApp();
  const money = useMoney();
  const dateTime = useDateTime();
  const phone = usePhone();
  const [slip, setSlip] = useState<SlipKind>('packing');
  const [shipping, setShipping] = useState(false);

  const client = useQueryClient();
  const move = useMutation({
    mutationFn: (to: OrderStatus) => ordersApi.setStatus(order.id, to),
    onSuccess: (o) => {
      // The answer carries the new status and what may be done from there.
      client.setQueryData(['order', order.id], o);
      void message.success(t('orders.movedTo', { status: t(`orderStatus.${o.status}`) }));
    },
    onError: (err) => {
      // A double click, or another desk got there first: say so and show the order as it is.
      if (err instanceof ApiError && err.code === 'already_in_status') {
        const status = typeof err.details['status'] === 'string' ? err.details['status'] : order.status;
        void message.info(t('orders.alreadyDone', { status: t(`orderStatus.${status as OrderStatus}`) }));
        move.reset();
        void client.invalidateQueries({ queryKey: ['order', order.id] });
      }
    },
  });

  // Every step that cannot be undone asks first; shipping asks for the carrier and tracking.
  const onTransition = (to: OrderStatus) => {
    if (to === 'shipped') {
      setShipping(true);
      return;
    }
    if (to === 'confirmed') {
      move.mutate(to);
      return;
    }
    const cancel = to === 'cancelled';
    void modal.confirm({
      title: t(cancel ? 'orders.cancelConfirmTitle' : 'orders.completeConfirmTitle', { number: order.order_number }),
      content: t(cancel ? 'orders.cancelConfirmBody' : 'orders.completeConfirmBody'),
      okText: t(`orders.action.${to}`),
      okButtonProps: { danger: cancel },
      cancelText: cancel ? t('orders.keepOrder') : t('common.cancel'),
      onOk: () => move.mutateAsync(to).catch(() => undefined),
    });
  };

  const print = (kind: SlipKind) => {
    flushSync(() => setSlip(kind));
    window.print();
  };

  const productName = (i: OrderItem) =>
    staff ? <Link to={`/products/${i.product_id}`}>{i.product_name}</Link> : i.product_name;
  const lineTotal = (i: OrderItem) => (
    <span className="nowrap" data-testid="detail-line-total">
      {money(i.line_total)}
    </span>
  );
  // A phone: the product with "price × quantity" under it, and the line's total beside it.
  const items: TableColumnsType<OrderItem> = phone
    ? [
        {
          title: t('orders.products'),
          key: 'line',
          render: (_v, i) => (
            <>
              <div>{productName(i)}</div>
              <Typography.Text type="secondary">
                {i.sku} · <LinePrice item={i} /> × {i.quantity}
              </Typography.Text>
            </>
          ),
        },
        { title: t('orders.lineTotal'), key: 'total', align: 'right', render: (_v, i) => lineTotal(i) },
      ]
    : [
        { title: t('products.sku'), dataIndex: 'sku', key: 'sku' },
        { title: t('products.name'), dataIndex: 'product_name', key: 'name', render: (_v, i) => productName(i) },
        { title: t('orders.quantity'), dataIndex: 'quantity', key: 'qty', align: 'right' },
        ...(order.shipments.length > 0
          ? [
              {
                title: t('orders.shippedQty'),
                key: 'shipped',
                align: 'right' as const,
                render: (_v: unknown, i: OrderItem) => <span data-testid="line-shipped">{i.shipped_quantity}</span>,
              },
            ]
          : []),
        ...(order.returns.length > 0
          ? [{ title: t('orders.returnedQty'), key: 'returned', align: 'right' as const, render: (_v: unknown, i: OrderItem) => i.returned_quantity }]
          : []),
        { title: t('orders.unitPrice'), dataIndex: 'unit_price', key: 'price', align: 'right', render: (_v, i) => <LinePrice item={i} /> },
        ...(order.items.some((i) => i.tax_rate !== '0')
          ? [{ title: t('orders.taxRate'), key: 'rate', align: 'right' as const, render: (_v: unknown, i: OrderItem) => `${i.tax_rate}%` }]
          : []),
        { title: t('orders.lineTotal'), dataIndex: 'line_total', key: 'total', align: 'right', render: (_v, i) => lineTotal(i) },
      ];

  const back = (
    <Link to="/orders" aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );
  // The buttons are the server's answer for this viewer: exactly the moves it will accept.
  const { transitions, editable } = order.actions;

  return (
    <>
      <PageHeader
        back={back}
        title={
          <>
            {order.order_number} <StatusTag status={order.status} />
          </>
        }
        extra={
          <>
            {transitions.map((to) => (
              <Button
                key={to}
                type={to === 'cancelled' ? 'default' : 'primary'}
                danger={to === 'cancelled'}
                loading={move.isPending && move.variables === to}
                disabled={move.isPending}
                onClick={() => onTransition(to)}
                data-testid={`to-${to}`}
              >
                {t(`orders.action.${to}`)}
              </Button>
            ))}
            {editable && (
              <Link to={`/orders/${order.id}/edit`}>
                <Button>{t('common.edit')}</Button>
              </Link>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => print('packing')}>
              {t('print.packingSlip')}
            </Button>
            <Button icon={<PrinterOutlined />} onClick={() => print('receipt')}>
              {t('print.receipt')}
            </Button>
          </>
        }
      />
      <div className="no-print">
        {move.isError && <ErrorAlert error={move.error} />}
        <ShipToCard order={order} />
        <Card className="section">
          <Descriptions
            column={{ xs: 1, sm: 2, lg: 3 }}
            size="small"
            items={[
              {
                key: 'customer',
                label: t('orders.customer'),
                children: order.customer_name ? (
                  staff && order.customer_id ? (
                    <Link to={`/customers/${order.customer_id}`}>{order.customer_name}</Link>
                  ) : (
                    order.customer_name
                  )
                ) : (
                  <Tag>{t('orders.walkIn')}</Tag>
                ),
              },
              { key: 'by', label: t('orders.createdBy'), children: order.created_by },
              { key: 'at', label: t('common.createdAt'), children: dateTime(order.created_at) },
              { key: 'updated', label: t('common.updatedAt'), children: dateTime(order.updated_at) },
              { key: 'total', label: t('orders.total'), children: <strong data-testid="detail-total">{money(order.total_amount)}</strong> },
              ...(order.customer_phone ? [{ key: 'phone', label: t('customers.phone'), children: order.customer_phone }] : []),
              ...(order.customer_address
                ? [{ key: 'address', label: t('customers.address'), children: order.customer_address }]
                : []),
              ...(order.invoice_title || order.invoice_tax_id
                ? [
                    {
                      key: 'invoice',
                      label: t('customers.invoice'),
                      children: (
                        <span data-testid="detail-invoice">
                          {[order.invoice_title, order.invoice_tax_id].filter(Boolean).join(' · ')}
                        </span>
                      ),
                    },
                  ]
                : []),
              ...(order.note ? [{ key: 'note', label: t('common.note'), children: order.note }] : []),
            ]}
          />
        </Card>
        <Typography.Title level={4}>{t('orders.items')}</Typography.Title>
        <Table<OrderItem>
          rowKey="id"
          size="small"
          columns={items}
          dataSource={order.items}
          pagination={false}
          scroll={phone ? undefined : { x: 'max-content' }}
          className="section"
          data-testid="detail-lines"
          summary={() => (
            <>
              {adjustmentRows(order).map((r) => (
                <Table.Summary.Row key={r.key}>
                  <Table.Summary.Cell index={0} colSpan={items.length - 1} align="right">
                    {t(`orders.${r.key}`)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <span className="nowrap" data-testid={`detail-${r.key}`}>
                      {money(r.cents)}
                    </span>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ))}
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={items.length - 1} align="right">
                <strong>{t('orders.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <strong className="nowrap" data-testid="detail-lines-total">
                  {money(order.total_amount)}
                </strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
            {includedTax(order) > 0n && (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={items.length - 1} align="right">
                  {t('orders.taxIncluded')}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <span className="nowrap" data-testid="detail-tax-included">
                    {money(includedTax(order))}
                  </span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
            </>
          )}
        />
        <GoodsCards order={order} />
        <PaymentsCard order={order} />
        <Typography.Title level={4}>{t('orders.history')}</Typography.Title>
        <Card>
          <Timeline
            items={order.status_history.map((h, i) => ({
              key: i,
              content: (
                <>
                  <StatusTag status={h.to_status} /> {dateTime(h.created_at)}
                  {h.username && <Typography.Text type="secondary"> · {h.username}</Typography.Text>}
                </>
              ),
            }))}
          />
        </Card>
      </div>
      <PackingSlip order={order} kind={slip} />
      {shipping && (
        <ShipModal
          order={order}
          onClose={() => setShipping(false)}
          onDone={(o) => {
            setShipping(false);
            if (o) client.setQueryData(['order', order.id], o);
            else void client.invalidateQueries({ queryKey: ['order', order.id] });
          }}
        />
      )}
    </>
  );
}
