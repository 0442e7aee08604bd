import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { lastDays, lastMonth, thisMonth, thisYear } from '../lib/reportRange';
import type { DayRange } from '../lib/reportRange';

/** The days a report or statement covers, with the usual presets counted from the shop's today. */
export function DayRangePicker({ range, today, onChange }: { range: DayRange; today: string; onChange: (r: DayRange) => void }) {
  const { t } = useTranslation();
  const day = (d: string) => dayjs(d);
  const preset = (label: string, r: DayRange): { label: string; value: [Dayjs, Dayjs] } => ({
    label,
    value: [day(r.from), day(r.to)],
  });
  return (
    <DatePicker.RangePicker
      value={[day(range.from), day(range.to)]}
      allowClear={false}
      presets={[
        preset(t('reports.last7'), lastDays(7, today)),
        preset(t('reports.last30'), lastDays(30, today)),
        preset(t('reports.last90'), lastDays(90, today)),
        preset(t('reports.thisMonth'), thisMonth(today)),
        preset(t('reports.lastMonth'), lastMonth(today)),
        preset(t('reports.thisYear'), thisYear(today)),
      ]}
      onChange={(r) => {
        const [from, to] = r ?? [];
        if (from && to) onChange({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') });
      }}
      aria-label={t('reports.range')}
    />
  );
}
