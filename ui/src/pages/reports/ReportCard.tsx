import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reportCsvUrl } from '../../api/reports';
import type { ReportName, ReportRange } from '../../api/reports';
import { CsvLink, useFileLang } from '../../components/Downloads';


/** A report in its card: title, a CSV download of the same rows, then the report. */
export function ReportCard({
  title,
  report,
  query,
  help,
  extra,
  children,
}: {
  title: string;
  report: ReportName;
  query: ReportRange & Record<string, string | number | undefined>;
  help?: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useFileLang();
  return (
    <Card
      title={title}
      data-testid={`report-${report}`}
      extra={
        <Flex gap={8} wrap align="center">
          {extra}
          <CsvLink
            href={reportCsvUrl(report, query, lang)}
            label={t('reports.downloadCsv')}
            ariaLabel={t('reports.downloadCsvOf', { report: title })}
            testId="report-csv"
          />
        </Flex>
      }
    >
      {help && (
        <Typography.Paragraph type="secondary" className="hint">
          {help}
        </Typography.Paragraph>
      )}
      {children}
    </Card>
  );
}
