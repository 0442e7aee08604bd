import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderItem } from '../../api/types';
import { useMoney } from '../../lib/shop';

/** A line's price: the regular price struck through when another was charged, and its percentage off. */
export function LinePrice({ item, plain = false }: { item: OrderItem; plain?: boolean }) {
  const { t } = useTranslation();
  const money = useMoney();
  const other = item.list_price !== item.unit_price;
  const off = item.discount_percent !== '0';
  if (plain) {
    // On paper: words rather than strike-through, which a thermal printer may lose.
    return (
      <>
        {money(item.unit_price)}
        {other && ` (${t('orders.listPrice')} ${money(item.list_price)})`}
        {off && ` −${item.discount_percent}%`}
      </>
    );
  }
  return (
    <span className="nowrap" data-testid="detail-unit-price">
      {other && (
        <Typography.Text delete type="secondary">
          {money(item.list_price)}
        </Typography.Text>
      )}{' '}
      {money(item.unit_price)}
      {off && <Typography.Text type="success"> −{item.discount_percent}%</Typography.Text>}
    </span>
  );
}
