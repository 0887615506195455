'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Point = { at: string; avg: number; min: number };

const time = (iso: string) => new Date(iso).toISOString().slice(11, 16);

/** Battery over a day (15-minute buckets). The table beside it carries the same data for screen readers. */
export function BatteryChart({ points }: { points: Point[] }) {
  if (points.length === 0) return <p className="text-sm text-slate-600">No telemetry in the last 24 hours.</p>;
  return (
    <div className="h-56 w-full" role="img" aria-label={`Battery over the last 24 hours: from ${points[0]?.avg}% to ${points.at(-1)?.avg}%, lowest ${Math.min(...points.map((p) => p.min))}%`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={time} tick={{ fontSize: 12, fill: '#475569' }} minTickGap={24} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12, fill: '#475569' }} unit="%" />
          <Tooltip labelFormatter={(v) => `${time(String(v))} UTC`} formatter={(v, name) => [`${v}%`, name === 'avg' ? 'Average' : 'Lowest']} />
          <Line type="monotone" dataKey="avg" stroke="#1d4ed8" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="min" stroke="#b45309" strokeWidth={1} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
