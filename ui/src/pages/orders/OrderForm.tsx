import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ordersApi } from '../../api/orders';
import type { NewOrder, OrderAdjustments, OrderDetail, RoundDown } from '../../api/types';
import { ME_KEY, useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ScanField } from '../../components/ScanField';
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
  quotedLine,
  removeLine,
  setLineField,
  setQuantity,
  toItems,
} from '../../lib/orderLines';
import type { DraftLine, Orderable } from '../../lib/orderLines';
import { atLeast } from '../../lib/roles';
import { orderRefusal } from '../../lib/scan';
import { useMoney } from '../../lib/shop';
import { useDebounced } from '../../lib/useDebounced';
import { CustomerPicker } from './CustomerPicker';
import { ProductPicker } from './ProductPicker';
import { ShipToChooser, shipToBody } from './ShipToChooser';
import type { ShipChoice } from './ShipToChooser';

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
  // Where a new order goes (an order being edited changes its address on its own page).
  const [shipChoice, setShipChoice] = useState<ShipChoice>({ kind: 'default' });
  // An amount off, a shipping fee and 抹零: staff only; the server computes the same total.
  const [discount, setDiscount] = useState(order && order.discount !== '0.00' ? order.discount : '');
  const [shipping, setShipping] = useState(order && order.shipping_fee !== '0.00' ? order.shipping_fee : '');
  const [roundDown, setRoundDown] = useState<RoundDown>(order?.round_down ?? 'none');
  const amountOf = (text: string) => (text.trim() ? parseCents(text) : 0n);
  const discountCents = amountOf(discount);
  const shippingCents = amountOf(shipping);
  const badAmount = (c: bigint | null) => c === null || c < 0n;
  const estimate = adjustedTotal(centsOf(draftTotal(lines)), discountCents ?? 0n, shippingCents ?? 0n, roundDown);
  const adjustments = (): OrderAdjustments =>
    staff
      ? { discount: formatCents(discountCents ?? 0n), shipping_fee: formatCents(shippingCents ?? 0n), round_down: roundDown }
      : {};
  const body = (): NewOrder => ({
    items: toItems(lines),
    customer_id: staff && !order ? (customer?.id ?? null) : undefined,
    ...adjustments(),
  });

  // The server prices the order as it is typed (price levels, prices set by hand, tax), so
  // what the form shows is what will be saved; until it answers, the form's own estimate.
  const asked = useDebounced(JSON.stringify(body()), 200);
  const quote = useQuery({
    queryKey: ['order-quote', order?.id ?? null, asked],
    queryFn: ({ signal }) => ordersApi.quote(JSON.parse(asked) as NewOrder, order?.id, signal),
    enabled: lines.length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const quoted = lines.length > 0 && !quote.isError ? quote.data : undefined;
  const tooMuch = quote.error instanceof ApiError && quote.error.field === 'discount' ? true : estimate.tooMuch;
  const shown = quoted
    ? {
        total: centsOf(quoted.total_amount),
        rounding: centsOf(quoted.rounding),
        tax: centsOf(quoted.tax),
        includesTax: quoted.prices_include_tax,
      }
    : { total: estimate.total, rounding: estimate.rounding, tax: 0n, includesTax: true };
  const lineQuote = (l: DraftLine) => (quoted ? quotedLine(quoted.items, l.productId) : undefined);

  const save = useMutation({
    mutationFn: () => {
      const { items, customer_id, ...rest } = body();
      const n = note.trim() || null;
      if (order) return ordersApi.update(order.id, { items, note: n, ...rest });
      return ordersApi.create({ items, note: n, customer_id, ...rest, ...(staff ? shipToBody(shipChoice) : {}) });
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
  // Picked or scanned: a new line, or one more of a product already on the order. The line
  // is added to the lines as they are then (a scan answers a moment after it was asked).
  const addProduct = (p: Orderable) => {
    setLines((current) => addLine(current, lineFromProduct(p)));
    if (save.isError) save.reset();
  };
  const addScanned = (p: Orderable) => {
    const refusal = orderRefusal(p, staff);
    if (refusal) return t(refusal === 'archived' ? 'scan.archived' : 'scan.outOfStock', { name: p.name });
    addProduct(p);
    return null;
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
      {money(lineQuote(l)?.total ?? draftLineCents(l))}
    </span>
  );
  // The price per unit: the server's (the customer's level price, or one typed), with the
  // regular price struck through when they differ.
  const unitPrice = (l: DraftLine) => {
    const q = lineQuote(l);
    const price = q?.unitPrice ?? l.unitPrice;
    return (
      <span className="nowrap" data-testid="line-unit-price">
        {q && q.listPrice !== q.unitPrice && (
          <Typography.Text delete type="secondary" className="list-price">
            {money(q.listPrice)}
          </Typography.Text>
        )}{' '}
        {money(price)}
        {q && q.off !== '0' && <Typography.Text type="success"> −{q.off}%</Typography.Text>}
      </span>
    );
  };
  const priceInputs = (l: DraftLine) =>
    staff && (
      <Flex gap={4} wrap>
        <Input
          size="small"
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('orders.linePrice')}
          aria-label={t('orders.linePriceOf', { name: l.name })}
          value={l.price ?? ''}
          onChange={(e) => update(setLineField(lines, l.productId, 'price', e.target.value))}
          style={{ width: 88 }}
          data-testid="line-price"
        />
        <Input
          size="small"
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('orders.lineOff')}
          aria-label={t('orders.lineOffOf', { name: l.name })}
          value={l.off ?? ''}
          onChange={(e) => update(setLineField(lines, l.productId, 'off', e.target.value))}
          suffix="%"
          style={{ width: 72 }}
          data-testid="line-off"
        />
      </Flex>
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
                {unitPrice(l)} ×{quantityInput(l)}
              </Flex>
              {priceInputs(l)}
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
          render: (_v, l) => (
            <Flex vertical gap={2} align="flex-end">
              {unitPrice(l)}
              {priceInputs(l)}
            </Flex>
          ),
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
                <CustomerPicker
                  value={customer}
                  onChange={(c) => {
                    setCustomer(c);
                    // Another customer's order starts at their own default address.
                    setShipChoice({ kind: 'default' });
                  }}
                />
              )}
            </Form.Item>
          )}
          {staff && !order && (
            <ShipToChooser customerId={customer?.id ?? null} value={shipChoice} onChange={setShipChoice} />
          )}
          <Form.Item label={t('orders.products')}>
            <Flex gap={8} wrap align="flex-start">
              <div style={{ flex: '2 1 260px', minWidth: 0 }}>
                <ProductPicker onPick={addProduct} />
              </div>
              <ScanField onProduct={addScanned} style={{ flex: '1 1 200px', minWidth: 0 }} testId="order-scan" />
            </Flex>
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
              validateStatus={badAmount(discountCents) || tooMuch ? 'error' : undefined}
              help={tooMuch ? t('orders.discountTooMuch') : undefined}
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
          {quoted?.price_level_name && (
            <Typography.Text type="secondary" data-testid="order-price-level">
              {t('orders.pricedAtLevel', { level: quoted.price_level_name })}
            </Typography.Text>
          )}
          {shown.rounding > 0n && (
            <Typography.Text type="secondary" data-testid="order-rounding">
              {t('orders.rounding')}: {money(-shown.rounding)}
            </Typography.Text>
          )}
          {shown.tax > 0n && (
            <Typography.Text type="secondary" data-testid="order-tax">
              {t(shown.includesTax ? 'orders.taxIncluded' : 'orders.taxAdded')}: {money(shown.tax)}
            </Typography.Text>
          )}
          <Typography.Text strong>
            {t('orders.total')}: <span data-testid="order-total">{money(shown.total)}</span>
          </Typography.Text>
          {quote.error instanceof ApiError && quote.error.field?.startsWith('items') && (
            <Typography.Text type="danger" data-testid="quote-error">
              {describeError(quote.error, t)}
            </Typography.Text>
          )}
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
            disabled={lines.length === 0 || badAmount(discountCents) || badAmount(shippingCents) || tooMuch}
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
