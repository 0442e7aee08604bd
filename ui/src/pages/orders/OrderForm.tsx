import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ordersApi } from '../../api/orders';
import type { OrderAdjustments, OrderDetail, RoundDown } from '../../api/types';
import { ME_KEY, useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { usePhone } from '../../components/usePhone';
import { ROUND_DOWNS, adjustedTotal } from '../../lib/adjustments';
import { describeError, fieldErrorText } from '../../lib/errors';
import { centsOf, formatCents, parseCents } from '../../lib/money';
import {
  MAX_QUANTITY,
  addLine,
  draftLineCents,
  draftTotal,
  lineForField,
  lineForStockError,
  lineFromProduct,
  overStock,
  removeLine,
  setQuantity,
  toItems,
} from '../../lib/orderLines';
import type { DraftLine } from '../../lib/orderLines';
import { atLeast } from '../../lib/roles';
import { useMoney } from '../../lib/shop';
import { CustomerPicker } from './CustomerPicker';
import { ProductPicker } from './ProductPicker';

/** Writes a new order, or changes the lines and note of a pending one. */
export function OrderForm({
  order,
  initialLines,
  initialCustomer = null,
}: {
  order?: OrderDetail;
  initialLines: DraftLine[];
  initialCustomer?: { id: number; name: string } | null;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const staff = atLeast(user.role, 'staff');
  const money = useMoney();
  const phone = usePhone();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [lines, setLines] = useState<DraftLine[]>(initialLines);
  const [customer, setCustomer] = useState<{ id: number; name: string } | null>(
    order?.customer_id
      ? { id: order.customer_id, name: order.customer_name ?? `#${order.customer_id}` }
      : initialCustomer,
  );
  const [note, setNote] = useState(order?.note ?? '');
  // An amount off, a shipping fee and 抹零: staff only; the server computes the same total.
  const [discount, setDiscount] = useState(order && order.discount !== '0.00' ? order.discount : '');
  const [shipping, setShipping] = useState(order && order.shipping_fee !== '0.00' ? order.shipping_fee : '');
  const [roundDown, setRoundDown] = useState<RoundDown>(order?.round_down ?? 'none');
  const amountOf = (text: string) => (text.trim() ? parseCents(text) : 0n);
  const discountCents = amountOf(discount);
  const shippingCents = amountOf(shipping);
  const badAmount = (c: bigint | null) => c === null || c < 0n;
  const adjusted = adjustedTotal(centsOf(draftTotal(lines)), discountCents ?? 0n, shippingCents ?? 0n, roundDown);
  const adjustments = (): OrderAdjustments =>
    staff
      ? { discount: formatCents(discountCents ?? 0n), shipping_fee: formatCents(shippingCents ?? 0n), round_down: roundDown }
      : {};

  const save = useMutation({
    mutationFn: () => {
      const items = toItems(lines);
      const n = note.trim() || null;
      if (order) return ordersApi.update(order.id, { items, note: n, ...adjustments() });
      return ordersApi.create({ items, note: n, customer_id: staff ? (customer?.id ?? null) : undefined, ...adjustments() });
    },
    onSuccess: (o) => {
      // A customer's first order makes their customer record: ask who we are again to learn
      // its id (their statement is found by it).
      if (!staff && !user.customer_id) void client.invalidateQueries({ queryKey: ME_KEY });
      void navigate(`/orders/${o.id}`);
    },
  });

  const err = save.error;
  const problemLine =
    err instanceof ApiError
      ? err.code === 'insufficient_stock'
        ? lineForStockError(lines, err.details)
        : lineForField(lines, err.field)
      : undefined;

  const update = (next: DraftLine[]) => {
    setLines(next);
    if (save.isError) save.reset();
  };

  const quantityInput = (l: DraftLine) => (
    <InputNumber
      min={1}
      max={MAX_QUANTITY}
      precision={0}
      value={l.quantity}
      status={problemLine === l.productId || overStock(l) ? 'error' : undefined}
      onChange={(v) => update(setQuantity(lines, l.productId, v ?? 1))}
      aria-label={t('orders.quantityOf', { name: l.name })}
      style={{ width: phone ? 80 : 96 }}
    />
  );
  const lineHints = (l: DraftLine) => (
    <>
      {overStock(l) && (
        <Typography.Text type="danger" className="hint">
          {t('orders.onlyInStock', { n: l.available ?? 0 })}
        </Typography.Text>
      )}
      {problemLine === l.productId && err instanceof ApiError && err.field && (
        <Typography.Text type="danger" className="hint">
          {fieldErrorText(err, t)}
        </Typography.Text>
      )}
    </>
  );
  const lineTotal = (l: DraftLine) => (
    <span className="nowrap" data-testid="line-total">
      {money(draftLineCents(l))}
    </span>
  );
  const removeButton = (l: DraftLine) => (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      aria-label={t('orders.removeLine', { name: l.name })}
      onClick={() => update(removeLine(lines, l.productId))}
      data-testid="line-remove"
    />
  );

  const columns: TableColumnsType<DraftLine> = phone
    ? [
        // A phone: the product, its price and the quantity on the left; the line's total and
        // its remove button on the right, always in view.
        {
          title: t('orders.products'),
          key: 'line',
          render: (_v, l) => (
            <Flex vertical gap={4}>
              <div>{l.name}</div>
              {l.sku && <Typography.Text type="secondary">{l.sku}</Typography.Text>}
              <Flex gap={6} align="center" wrap>
                <span className="nowrap">{money(l.unitPrice)} ×</span>
                {quantityInput(l)}
              </Flex>
              {lineHints(l)}
            </Flex>
          ),
        },
        {
          title: t('orders.lineTotal'),
          key: 'total',
          align: 'right',
          render: (_v, l) => (
            <Flex vertical align="flex-end" gap={4}>
              {lineTotal(l)}
              {removeButton(l)}
            </Flex>
          ),
        },
      ]
    : [
        {
          title: t('products.name'),
          key: 'name',
          render: (_v, l) => (
            <>
              <div>{l.name}</div>
              {l.sku && <Typography.Text type="secondary">{l.sku}</Typography.Text>}
            </>
          ),
        },
        {
          title: t('orders.unitPrice'),
          key: 'price',
          align: 'right',
          render: (_v, l) => money(l.unitPrice),
        },
        {
          title: t('orders.quantity'),
          key: 'qty',
          render: (_v, l) => (
            <Flex vertical gap={2}>
              {quantityInput(l)}
              {lineHints(l)}
            </Flex>
          ),
        },
        { title: t('orders.lineTotal'), key: 'total', align: 'right', render: (_v, l) => lineTotal(l) },
        { key: 'remove', title: <span className="visually-hidden">{t('common.actions')}</span>, render: (_v, l) => removeButton(l) },
      ];

  const back = (
    <Link to={order ? `/orders/${order.id}` : '/orders'} aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );

  return (
    <>
      <PageHeader back={back} title={order ? t('orders.editTitle', { number: order.order_number }) : t('nav.newOrder')} />
      {err && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(err, t)}
          data-testid="order-error"
          className="section"
        />
      )}
      <Card className="section">
        <Form layout="vertical">
          {staff && (
            <Form.Item label={t('orders.customer')} htmlFor="order-customer">
              {order ? (
                <Input id="order-customer" value={customer?.name ?? t('orders.walkIn')} disabled />
              ) : (
                <CustomerPicker value={customer} onChange={setCustomer} />
              )}
            </Form.Item>
          )}
          <Form.Item label={t('orders.products')}>
            <ProductPicker onPick={(p) => update(addLine(lines, lineFromProduct(p)))} />
          </Form.Item>
        </Form>
        <Table<DraftLine>
          rowKey="productId"
          size="small"
          columns={columns}
          dataSource={lines}
          pagination={false}
          scroll={phone ? undefined : { x: 'max-content' }}
          locale={{ emptyText: t('orders.noLines') }}
          data-testid="order-lines"
        />
        {staff && (
          <Form layout="inline" className="order-adjustments">
            <Form.Item
              label={t('orders.discount')}
              htmlFor="order-discount"
              validateStatus={badAmount(discountCents) || adjusted.tooMuch ? 'error' : undefined}
              help={adjusted.tooMuch ? t('orders.discountTooMuch') : undefined}
            >
              <Input
                id="order-discount"
                inputMode="decimal"
                autoComplete="off"
                value={discount}
                onChange={(e) => setDiscount(e.target.value)}
                style={{ width: 120 }}
                data-testid="order-discount"
              />
            </Form.Item>
            <Form.Item label={t('orders.shippingFee')} htmlFor="order-shipping" validateStatus={badAmount(shippingCents) ? 'error' : undefined}>
              <Input
                id="order-shipping"
                inputMode="decimal"
                autoComplete="off"
                value={shipping}
                onChange={(e) => setShipping(e.target.value)}
                style={{ width: 120 }}
                data-testid="order-shipping"
              />
            </Form.Item>
            <Form.Item label={t('orders.roundDown')}>
              <Select<RoundDown>
                value={roundDown}
                onChange={setRoundDown}
                options={ROUND_DOWNS.map((r) => ({
                  value: r,
                  label: t(r === 'none' ? 'orders.roundNone' : r === 'yuan' ? 'orders.roundYuan' : 'orders.roundTenYuan'),
                }))}
                style={{ width: 130 }}
                aria-label={t('orders.roundDown')}
                data-testid="order-round-down"
              />
            </Form.Item>
          </Form>
        )}
        <Flex vertical align="flex-end" className="order-total">
          {adjusted.rounding > 0n && (
            <Typography.Text type="secondary" data-testid="order-rounding">
              {t('orders.rounding')}: {money(-adjusted.rounding)}
            </Typography.Text>
          )}
          <Typography.Text strong>
            {t('orders.total')}: <span data-testid="order-total">{money(adjusted.total)}</span>
          </Typography.Text>
        </Flex>
        <Form layout="vertical">
          <Form.Item label={t('common.note')} htmlFor="order-note">
            <Input.TextArea
              id="order-note"
              rows={2}
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Form.Item>
        </Form>
        <Flex gap={8} wrap>
          <Button
            type="primary"
            disabled={lines.length === 0 || badAmount(discountCents) || badAmount(shippingCents) || adjusted.tooMuch}
            loading={save.isPending}
            onClick={() => save.mutate()}
          >
            {order ? t('common.save') : t('orders.place')}
          </Button>
          <Link to={order ? `/orders/${order.id}` : '/orders'}>
            <Button>{t('common.cancel')}</Button>
          </Link>
        </Flex>
      </Card>
    </>
  );
}
