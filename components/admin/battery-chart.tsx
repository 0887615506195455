'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Point = { at: string; avg: number; min: number };

/** Battery over a day (15-minute buckets), times in the deployment's zone like every date of the site. */
export function BatteryChart({ points }: { points: Point[] }) {
  const t = useTranslations('adminFleet.batteryChart');
  const format = useFormatter();
  if (points.length === 0) return <p className="text-sm text-slate-600">{t('empty')}</p>;
  const time = (iso: string) => format.dateTime(new Date(iso), 'time');
  const lowest = Math.min(...points.map((p) => p.min));
  return (
    <div
      className="h-56 w-full"
      role="img"
      aria-label={t('label', { from: points[0]?.avg ?? 0, to: points.at(-1)?.avg ?? 0, lowest })}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={time} tick={{ fontSize: 12, fill: '#475569' }} minTickGap={24} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12, fill: '#475569' }} unit="%" />
          <Tooltip
            labelFormatter={(v) => format.dateTime(new Date(String(v)), 'dateTime')}
            formatter={(v, name) => [`${v}%`, name === 'avg' ? t('average') : t('lowest')]}
          />
          <Line type="monotone" dataKey="avg" stroke="#1d4ed8" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line
            type="monotone"
            dataKey="min"
            stroke="#b45309"
            strokeWidth={1}
            strokeDasharray="4 3"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
