import { useTranslation } from 'react-i18next';
import type { Statement } from '../../api/types';
import { PrintHeader } from '../../components/PrintHeader';
import { chineseCapitals, writesInYuan } from '../../lib/chineseAmount';
import { centsOf } from '../../lib/money';
import { methodLabel } from '../../lib/payments';
import { balanceSide, signedMoney } from '../../lib/receivables';
import { useDateTime, useMoney } from '../../lib/shop';

/** The statement on paper, to hand or send to the customer: only visible when printed. */
export function PrintedStatement({ statement: s }: { statement: Statement }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const columns = 7;
  const closing = balanceSide(s.closing_balance);

  const balanceRow = (label: string, value: string, testId: string) => (
    <tr>
      <td colSpan={columns - 1} className="num">
        {label}
      </td>
      <td className="num" data-testid={testId}>
        {value}
      </td>
    </tr>
  );

  return (
    <section className="print-only slip" aria-hidden="true" data-testid="statement-printed">
      <PrintHeader title={t('statement.title')} />
      <dl>
        <dt>{t('orders.customer')}</dt>
        <dd data-testid="printed-customer">{s.customer_name}</dd>
        {s.phone && (
          <>
            <dt>{t('customers.phone')}</dt>
            <dd>{s.phone}</dd>
          </>
        )}
        {s.address && (
          <>
            <dt>{t('customers.address')}</dt>
            <dd>{s.address}</dd>
          </>
        )}
        <dt>{t('statement.period')}</dt>
        <dd data-testid="printed-period">{t('reports.days', { from: s.first_day, to: s.last_day })}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th>{t('statement.date')}</th>
            <th>{t('statement.kind')}</th>
            <th>{t('orders.number')}</th>
            <th>{t('payments.method')}</th>
            <th>{t('payments.reference')}</th>
            <th className="num">{t('statement.amount')}</th>
            <th className="num">{t('statement.balance')}</th>
          </tr>
        </thead>
        <tbody>
          {balanceRow(t('statement.opening'), money(s.opening_balance), 'printed-opening')}
          {s.entries.map((e, i) => (
            <tr key={i}>
              <td>{dateTime(e.at)}</td>
              <td>{t(`statement.kinds.${e.kind}`)}</td>
              <td>{e.order_number}</td>
              <td>{e.method ? methodLabel(e.method, t) : ''}</td>
              <td>{e.reference ?? ''}</td>
              <td className="num">{signedMoney(money, e.amount)}</td>
              <td className="num">{money(e.balance)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {balanceRow(t('statement.charged'), money(s.charged), 'printed-charged')}
          {balanceRow(t('statement.received'), money(s.received), 'printed-received')}
          {balanceRow(t('statement.closing'), money(s.closing_balance), 'printed-closing')}
          {writesInYuan(s.currency_code) && (
            <tr>
              <td colSpan={columns} className="slip-words">
                <strong>{t('statement.inWords')}</strong>{' '}
                <span data-testid="statement-in-words">{chineseCapitals(centsOf(s.closing_balance))}</span>
              </td>
            </tr>
          )}
        </tfoot>
      </table>
      <p className="slip-note" data-testid="printed-side">
        {t(`statement.${closing.side}`, { amount: money(closing.cents) })}
      </p>
    </section>
  );
}
