import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from '../api/types';

const COLORS: Record<OrderStatus, string> = {
  pending: 'gold',
  confirmed: 'blue',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
  returned: 'magenta',
};

export function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`orderStatus.${status}`)}
    </Tag>
  );
}
