import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PaymentStatus, PaymentSummary } from '../api/types';
import { centsOf } from '../lib/money';
import { PAYMENT_STATUS_COLORS } from '../lib/payments';
import { useMoney } from '../lib/shop';

export function PaymentStatusTag({ status }: { status: PaymentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={PAYMENT_STATUS_COLORS[status]} data-payment-status={status} data-testid="payment-status">
      {t(`paymentStatus.${status}`)}
    </Tag>
  );
}

/**
 * Where an order stands on money in a list row: its status, and what is still owed (or, when
 * overpaid, what goes back).
 */
export function PaymentCell({ order }: { order: PaymentSummary }) {
  const { t } = useTranslation();
  const money = useMoney();
  const owed = centsOf(order.balance_due) > 0n && order.payment_status !== 'untracked';
  const back = centsOf(order.refund_due) > 0n;
  return (
    <span className="payment-cell">
      <PaymentStatusTag status={order.payment_status} />
      {owed && (
        <span className="nowrap hint" data-testid="row-balance-due">
          {t('payments.balanceHint', { amount: money(order.balance_due) })}
        </span>
      )}
      {back && (
        <span className="nowrap hint refund-due" data-testid="row-refund-due">
          {t('payments.refundDueTag', { amount: money(order.refund_due) })}
        </span>
      )}
    </span>
  );
}
