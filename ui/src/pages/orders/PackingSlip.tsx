import { useTranslation } from 'react-i18next';
import { logoUrl } from '../../api/admin';
import type { OrderDetail } from '../../api/types';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';

export type SlipKind = 'packing' | 'invoice';

/** The printed page: only visible on paper (see .print-only in styles.css). */
export function PackingSlip({ order, kind }: { order: OrderDetail; kind: SlipKind }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const settings = useSettings();
  const invoice = kind === 'invoice';
  const shop = settings.data;
  const logo = logoUrl(shop);
  const contact = [shop?.business_address, shop?.business_phone].filter(Boolean).join('\n');

  return (
    <section className="print-only slip" aria-hidden="true">
      <header>
        <div className="slip-shop">
          {logo && <img src={logo} alt="" className="slip-logo" data-testid="slip-logo" />}
          <div>
            <h1>{shop?.business_name ?? t('app.title')}</h1>
            {contact && (
              <p className="slip-contact" data-testid="slip-contact">
                {contact}
              </p>
            )}
          </div>
        </div>
        <h2>{invoice ? t('print.invoiceTitle') : t('print.packingSlipTitle')}</h2>
      </header>
      <dl>
        <dt>{t('orders.number')}</dt>
        <dd>{order.order_number}</dd>
        <dt>{t('common.createdAt')}</dt>
        <dd>{dateTime(order.created_at)}</dd>
        <dt>{t('orders.customer')}</dt>
        <dd>{order.customer_name ?? t('orders.walkIn')}</dd>
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
            {invoice && <th className="num">{t('orders.unitPrice')}</th>}
            {invoice && <th className="num">{t('orders.lineTotal')}</th>}
            {!invoice && <th>{t('print.packed')}</th>}
          </tr>
        </thead>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.id}>
              <td>{i.sku}</td>
              <td>{i.product_name}</td>
              <td className="num">{i.quantity}</td>
              {invoice && <td className="num">{money(i.unit_price)}</td>}
              {invoice && <td className="num">{money(i.line_total)}</td>}
              {!invoice && <td>☐</td>}
            </tr>
          ))}
        </tbody>
        {invoice && (
          <tfoot>
            <tr>
              <td colSpan={4} className="num">
                {t('orders.total')}
              </td>
              <td className="num">{money(order.total_amount)}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
}
