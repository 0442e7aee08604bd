// Buttons that download CSV files: plain links (GETs; the session cookie goes along and the
// server names the file), so they also work with "Save link as…".
import { DownOutlined, DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QueryParams } from '../api/client';
import { exportUrl } from '../api/transfer';
import type { ExportName } from '../api/transfer';
import type { FileLang } from '../api/types';
import { isLang } from '../i18n/lang';

/** The language exported files should be in: the UI's. */
export function useFileLang(): FileLang {
  const { i18n } = useTranslation();
  return isLang(i18n.language) ? i18n.language : 'zh-CN';
}

export function CsvLink({
  href,
  label,
  ariaLabel,
  testId,
  title,
}: {
  href: string;
  label: string;
  ariaLabel?: string;
  testId?: string;
  title?: string;
}) {
  return (
    <Button href={href} download icon={<DownloadOutlined />} aria-label={ariaLabel} title={title} data-testid={testId}>
      {label}
    </Button>
  );
}

/** Exports a list (products, customers) with its current filters and search. */
export function ExportButton({ name, filters }: { name: Exclude<ExportName, 'orders' | 'order-lines'>; filters: QueryParams }) {
  const { t } = useTranslation();
  const lang = useFileLang();
  return (
    <CsvLink
      href={exportUrl(name, filters, lang)}
      label={t('transfer.exportCsv')}
      title={t('transfer.exportHint')}
      testId="export"
    />
  );
}

/**
 * The orders list's two files: one row per order (with its total), or one row per line
 * (line totals only, so sums in a spreadsheet count every amount once).
 */
export function OrdersExportButton({ filters }: { filters: QueryParams }) {
  const { t } = useTranslation();
  const lang = useFileLang();
  const item = (name: 'orders' | 'order-lines', label: string, hint: string) => ({
    key: name,
    label: (
      <a href={exportUrl(name, filters, lang)} download data-testid={`export-${name}`}>
        <div>{label}</div>
        <Typography.Text type="secondary" className="hint export-hint">
          {hint}
        </Typography.Text>
      </a>
    ),
  });
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          item('orders', t('transfer.exportOrders'), t('transfer.exportOrdersHint')),
          item('order-lines', t('transfer.exportLines'), t('transfer.exportLinesHint')),
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} title={t('transfer.exportHint')} data-testid="export">
        {t('transfer.exportCsv')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
