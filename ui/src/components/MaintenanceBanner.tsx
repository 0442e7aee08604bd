import { useQueryClient } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { getMaintenance, subscribeMaintenance } from '../api/maintenance';

/**
 * While the server restores a backup (503 with Retry-After), a banner says so; the requests
 * wait and go again by themselves (api/client.ts). Once the server answers again, every
 * cached view is out of date (the data may be another day's): all of them are fetched anew.
 */
export function MaintenanceBanner() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const state = useSyncExternalStore(subscribeMaintenance, getMaintenance, getMaintenance);

  useEffect(() => {
    let was = getMaintenance();
    return subscribeMaintenance(() => {
      const now = getMaintenance();
      if (was && !now) void client.invalidateQueries();
      was = now;
    });
  }, [client]);

  if (!state) return null;
  return (
    <Alert
      banner
      type="warning"
      showIcon
      className="maintenance-banner no-print"
      role="status"
      aria-live="polite"
      title={t('maintenance.title')}
      description={t('maintenance.body', { seconds: state.retryAfterSeconds })}
      data-testid="maintenance-banner"
    />
  );
}
