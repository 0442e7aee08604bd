import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PoStatus } from '../../api/types';
import { PO_STATUS_COLORS } from '../../lib/purchasing';

/** 草稿 / 已下单 / 部分入库 / 已入库 / 已取消, in the UI language. */
export function PoStatusTag({ status }: { status: PoStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={PO_STATUS_COLORS[status]} data-status={status} data-testid="po-status">
      {t(`purchasing.poStatus.${status}`)}
    </Tag>
  );
}
