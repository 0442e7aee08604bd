// Small canvas charts (chart.js). Amounts are drawn from floats, but every label and tooltip
// shows the exact decimal amount. Each chart has a text name (role="img"); the tables beside
// them carry the same numbers for screen readers.
import { BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { OrderStatus, ProductSalesRow, SalesRow } from '../api/types';
import { centsToChartNumber } from '../lib/money';
import type { MoneyFormatter } from '../lib/money';
import { periodTick, sameYear } from '../lib/periods';

// Only the pieces these bar charts use (keeps the chunk small).
Chart.register(BarElement, CategoryScale, LinearScale, Tooltip);

const STATUS_COLORS: Record<OrderStatus, string> = {
  pending: '#faad14',
  confirmed: '#1677ff',
  shipped: '#13c2c2',
  completed: '#52c41a',
  cancelled: '#bfbfbf',
  returned: '#eb2f96',
};

const BLUE = '#1f6feb';

export function OrdersByStatusChart({ rows, label }: { rows: { status: OrderStatus; count: number }[]; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="chart" role="img" aria-label={label}>
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

/** Revenue per period (day, ISO week or month), with the orders in the tooltip. */
export function SalesChart({ rows, money, label }: { rows: SalesRow[]; money: MoneyFormatter; label: string }) {
  const { t } = useTranslation();
  const short = sameYear(rows.map((r) => r.period));
  return (
    <div className="chart" role="img" aria-label={label}>
      <Bar
        data={{
          labels: rows.map((r) => periodTick(r.period, short)),
          datasets: [
            {
              label: t('dashboard.revenue'),
              // Floats only for drawing: the labels show the exact amounts.
              data: rows.map((r) => centsToChartNumber(r.revenue)),
              backgroundColor: BLUE,
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

const MAX_NAME = 18;

/** The best sellers by revenue, as horizontal bars. */
export function TopProductsChart({
  rows,
  money,
  label,
}: {
  rows: ProductSalesRow[];
  money: MoneyFormatter;
  label: string;
}) {
  const { t } = useTranslation();
  // One bar a row, of a readable thickness: the chart grows with the rows it has.
  const height = Math.max(120, rows.length * 32 + 48);
  return (
    <div className="chart" role="img" aria-label={label} style={{ height }}>
      <Bar
        data={{
          labels: rows.map((r) => (r.name.length > MAX_NAME ? `${r.name.slice(0, MAX_NAME - 1)}…` : r.name)),
          datasets: [
            {
              label: t('reports.revenue'),
              data: rows.map((r) => centsToChartNumber(r.revenue)),
              backgroundColor: BLUE,
              maxBarThickness: 24,
            },
          ],
        }}
        options={{
          indexAxis: 'y',
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => {
                  const r = rows[items[0]?.dataIndex ?? 0];
                  return r ? `${r.name} (${r.sku})` : '';
                },
                label: (item) => {
                  const r = rows[item.dataIndex];
                  return r ? `${money(r.revenue)} · ${t('reports.quantity')} ${r.quantity}` : '';
                },
              },
            },
          },
          scales: { x: { beginAtZero: true } },
        }}
      />
    </div>
  );
}
