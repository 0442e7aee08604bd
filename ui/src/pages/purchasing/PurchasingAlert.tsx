import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { describePurchasingError } from '../../lib/purchasingErrors';

/** A failed purchasing request, with the purchasing routes' own codes translated. */
export function PurchasingAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="section"
      title={describePurchasingError(error, t)}
      data-testid="purchasing-error"
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
