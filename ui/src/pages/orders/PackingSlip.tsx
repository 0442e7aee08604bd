import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../api/types';
import { PrintHeader } from '../../components/PrintHeader';
import { adjustmentRows, includedTax } from '../../lib/adjustments';
import { chineseCapitals, writesInYuan } from '../../lib/chineseAmount';
import { addressLine, hasShipTo } from '../../lib/goods';
import { centsOf } from '../../lib/money';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';
import { LinePrice } from './LinePrice';

/** The packing slip (no prices), or the sales receipt (销售单, not 发票: that is the tax office's). */
export type SlipKind = 'packing' | 'receipt';

/** The printed page: only visible on paper (see .print-only in styles.css). */
export function PackingSlip({ order, kind }: { order: OrderDetail; kind: SlipKind }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const receipt = kind === 'receipt';
  const yuan = writesInYuan(useSettings().data?.currency_code ?? 'CNY');
  // Orders taken before payments were recorded: what was paid is not known, so not printed.
  const tracked = order.payment_status !== 'untracked';
  const positive = (amount: string) => centsOf(amount) > 0n;

  const footRow = (key: string, label: string, value: string, testId?: string) => (
    <tr key={key}>
      <td colSpan={4} className="num">
        {label}
      </td>
      <td className="num" data-testid={testId}>
        {value}
      </td>
    </tr>
  );

  return (
    <section className="print-only slip" aria-hidden="true">
      <PrintHeader title={receipt ? t('print.receiptTitle') : t('print.packingSlipTitle')} />
      <dl>
        <dt>{t('orders.number')}</dt>
        <dd>{order.order_number}</dd>
        <dt>{t('common.createdAt')}</dt>
        <dd>{dateTime(order.created_at)}</dd>
        <dt>{t('orders.customer')}</dt>
        <dd>{order.customer_name ?? t('orders.walkIn')}</dd>
        {hasShipTo(order.ship_to) ? (
          <>
            <dt>{t('print.shipTo')}</dt>
            <dd data-testid="slip-ship-to">{order.ship_to.name}</dd>
            {order.ship_to.phone && (
              <>
                <dt>{t('customers.phone')}</dt>
                <dd data-testid="slip-phone">{order.ship_to.phone}</dd>
              </>
            )}
            {addressLine(order.ship_to) && (
              <>
                <dt>{t('customers.address')}</dt>
                <dd data-testid="slip-address">
                  {[addressLine(order.ship_to), order.ship_to.postcode].filter(Boolean).join(' ')}
                </dd>
              </>
            )}
          </>
        ) : (
          <>
            {order.customer_phone && (
              <>
                <dt>{t('customers.phone')}</dt>
                <dd data-testid="slip-phone">{order.customer_phone}</dd>
              </>
            )}
            {order.customer_address && (
              <>
                <dt>{t('customers.address')}</dt>
                <dd data-testid="slip-address">{order.customer_address}</dd>
              </>
            )}
          </>
        )}
        {order.shipments.some((s) => s.tracking_number) && (
          <>
            <dt>{t('print.tracking')}</dt>
            <dd data-testid="slip-tracking">
              {order.shipments
                .filter((s) => s.tracking_number)
                .map((s) => [s.carrier, s.tracking_number].filter(Boolean).join(' '))
                .join('；')}
            </dd>
          </>
        )}
        {receipt && order.invoice_title && (
          <>
            <dt>{t('customers.invoiceTitle')}</dt>
            <dd>{order.invoice_title}</dd>
          </>
        )}
        {receipt && order.invoice_tax_id && (
          <>
            <dt>{t('customers.invoiceTaxId')}</dt>
            <dd>{order.invoice_tax_id}</dd>
          </>
        )}
        {order.note && (
          <>
            <dt>{t('common.note')}</dt>
            <dd>{order.note}</dd>
          </>
        )}
      </dl>
      <table>
        <thead>
          <tr>
            <th>{t('products.sku')}</th>
            <th>{t('products.name')}</th>
            <th className="num">{t('orders.quantity')}</th>
            {receipt && <th className="num">{t('orders.unitPrice')}</th>}
            {receipt && <th className="num">{t('orders.lineTotal')}</th>}
            {!receipt && <th>{t('print.packed')}</th>}
          </tr>
        </thead>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.id}>
              <td>{i.sku}</td>
              <td>{i.product_name}</td>
              <td className="num">{i.quantity}</td>
              {receipt && (
                <td className="num">
                  <LinePrice item={i} plain />
                </td>
              )}
              {receipt && <td className="num">{money(i.line_total)}</td>}
              {!receipt && <td>☐</td>}
            </tr>
          ))}
        </tbody>
        {receipt && (
          <tfoot>
            {adjustmentRows(order).map((r) => footRow(r.key, t(`orders.${r.key}`), money(r.cents), `slip-${r.key}`))}
            {footRow('total', t('orders.total'), money(order.total_amount), 'slip-total')}
            {includedTax(order) > 0n &&
              footRow('tax', t('orders.taxIncluded'), money(includedTax(order)), 'slip-tax-included')}
            {yuan && (
              <tr>
                <td colSpan={5} className="slip-words">
                  <strong>{t('print.inWords')}</strong>{' '}
                  <span data-testid="slip-in-words">{chineseCapitals(centsOf(order.total_amount))}</span>
                </td>
              </tr>
            )}
            {tracked && footRow('paid', t('print.paidAmount'), money(order.paid_amount), 'slip-paid')}
            {tracked &&
              positive(order.refunded_amount) &&
              footRow('refunded', t('print.refundedAmount'), money(order.refunded_amount), 'slip-refunded')}
            {tracked &&
              (positive(order.refund_due)
                ? footRow('refund-due', t('print.refundDue'), money(order.refund_due), 'slip-refund-due')
                : footRow(
                    'balance',
                    t('print.balanceDue'),
                    money(positive(order.balance_due) ? order.balance_due : '0.00'),
                    'slip-balance',
                  ))}
          </tfoot>
        )}
      </table>
    </section>
  );
}
