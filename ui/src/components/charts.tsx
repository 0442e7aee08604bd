import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { SalesRow, StatusTotal } from '../../api/types';
import { centsToChartNumber } from '../../lib/money';
import type { MoneyFormatter } from '../../lib/money';

// Only the pieces these two bar charts use (keeps the chunk small).
Chart.register(BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const STATUS_COLORS: Record<StatusTotal['status'], string> = {
  pending: '#faad14',
  confirmed: '#1677ff',
  shipped: '#13c2c2',
  completed: '#52c41a',
  cancelled: '#bfbfbf',
};

export function OrdersByStatusChart({ rows }: { rows: StatusTotal[] }) {
  const { t } = useTranslation();
  return (
    <div className="chart" role="img" aria-label={t('dashboard.ordersByStatus')}>
      <Bar
        data={{
          labels: rows.map((r) => t(`orderStatus.${r.status}`)),
          datasets: [
            {
              label: t('dashboard.orders'),
              data: rows.map((r) => r.count),
              backgroundColor: rows.map((r) => STATUS_COLORS[r.status]),
            },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        }}
      />
    </div>
  );
}

export function RevenueChart({ rows, money }: { rows: SalesRow[]; money: MoneyFormatter }) {
  const { t } = useTranslation();
  return (
    <div className="chart" role="img" aria-label={t('dashboard.revenue30')}>
      <Bar
        data={{
          labels: rows.map((r) => r.period.slice(5)),
          datasets: [
            {
              label: t('dashboard.revenue'),
              // Floats only for drawing: the labels show the exact amounts.
              data: rows.map((r) => centsToChartNumber(r.revenue)),
              backgroundColor: '#1f6feb',
            },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => rows[items[0]?.dataIndex ?? 0]?.period ?? '',
                label: (item) => {
                  const r = rows[item.dataIndex];
                  return r ? `${money(r.revenue)} · ${t('dashboard.ordersN', { n: r.orders })}` : '';
                },
              },
            },
          },
          scales: { y: { beginAtZero: true } },
        }}
      />
    </div>
  );
}
