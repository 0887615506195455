// npm run simulate -- [--url http://127.0.0.1:3000[,http://127.0.0.1:3001…]] [--drones 8] [--speedup 1]
//                      [--failure-rate 0.05] [--speed 15] [--fleet fleet.json] [--stats stats.json]
// Flies the demo fleet through the public HTTP API only, with the seeded device keys, or any
// fleet whose ids and keys are listed in a --fleet file (the soak benchmark registers 50 drones).
import './lib/dotenv';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env } from '@/env';
import { DEMO_BASE, SEED_AUTOMATS, SEED_DRONES } from '@/scripts/lib/seed';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
import { logger } from '@/lib/logger';
import { Simulator, type SimAutomat, type SimDrone } from '@/lib/simulator/fleet';
import { onStopRequest } from './lib/supervised';

const log = logger.child({ scope: 'simulator' });
const e = env();
let simulator: Simulator | null = null;
// Registered first: a stop request may come while the fleet is still being looked up.
onStopRequest(() => {
  void (simulator?.stop() ?? Promise.resolve()).then(() => {
    if (simulator && o.stats) writeFileSync(o.stats, `${JSON.stringify(simulator.stats())}\n`);
    process.exit(0);
  });
});

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: `http://127.0.0.1:${e.PORT}` },
    drones: { type: 'string', default: String(SEED_DRONES.length) },
    speedup: { type: 'string', default: '1' },
    'failure-rate': { type: 'string', default: '0.05' },
    speed: { type: 'string', default: '15' },
    fleet: { type: 'string' },
    stats: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      'Usage: npm run simulate -- [--url URL[,URL…]] [--drones N] [--speedup K] [--failure-rate P] [--speed M/S] ' +
        '[--fleet FILE] [--stats FILE]',
      '  --url URLS    the server; with several instances, comma-separated: ' +
        'the i-th drone and locker report to URL i mod n',
      '  --fleet FILE  fly the devices listed in FILE instead of the demo fleet:',
      '                {"drones": [{"id", "key", "label"?, "battery"?, "home"?: {"lat", "lon"}}],',
      '                 "automats": [{"id", "key", "label"?, "is_working"?}]}',
      '  --stats FILE  on stop, write what the devices saw (replies by status, requests with no reply) to FILE',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const opts = z
  .object({
    url: z
      .string()
      .transform((v) => v.split(',').map((u) => u.trim()))
      .pipe(z.array(z.string().url()).min(1)),
    drones: z.coerce.number().int().min(0).max(SEED_DRONES.length),
    speedup: z.coerce.number().min(0.1).max(100),
    'failure-rate': z.coerce.number().min(0).max(1),
    speed: z.coerce.number().min(1).max(60),
    fleet: z.string().min(1).optional(),
    stats: z.string().min(1).optional(),
  })
  .safeParse(values);
if (!opts.success) {
  process.stderr.write(
    `Invalid options: ${opts.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
  );
  process.exit(2);
}
const o = opts.data;

/** The id behind a key, or null if the key is not (or no longer) valid. */
async function whoAmI(key: string): Promise<string | null> {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      const res = await fetch(`${o.url[0]}/api/devices/me`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status === 401) return null;
      if (res.ok) return ((await res.json()) as { device: { id: string } }).device.id;
    } catch {
      // server not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`SkyPost does not answer at ${o.url[0]}`);
}

const fleetFileSchema = z.object({
  drones: z
    .array(
      z.object({
        id: z.uuid(),
        key: z.string().min(1),
        label: z.string().optional(),
        battery: z.number().min(0).max(100).default(100),
        home: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
      }),
    )
    .min(1),
  automats: z
    .array(
      z.object({
        id: z.uuid(),
        key: z.string().min(1),
        label: z.string().optional(),
        is_working: z.boolean().default(true),
      }),
    )
    .default([]),
});

/** The devices listed in a --fleet file, checked against the server: a key must belong to the id beside it. */
async function fleetFromFile(file: string): Promise<{ drones: SimDrone[]; automats: SimAutomat[] }> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--fleet ${file}: cannot read it as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = fleetFileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `--fleet ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const drones: SimDrone[] = [];
  for (const d of parsed.data.drones) {
    const label = d.label ?? d.id.slice(0, 8);
    if ((await whoAmI(d.key)) === d.id) drones.push({ id: d.id, key: d.key, label, battery: d.battery, home: d.home });
    else log.warn('Skipping a drone whose key is not valid for its id', { drone: label });
  }
  const automats: SimAutomat[] = [];
  for (const a of parsed.data.automats) {
    const label = a.label ?? a.id.slice(0, 8);
    if ((await whoAmI(a.key)) === a.id) automats.push({ id: a.id, key: a.key, label, isWorking: a.is_working });
    else log.warn('Skipping a locker whose key is not valid for its id', { automat: label });
  }
  return { drones, automats };
}

/** The demo fleet, with the keys the seed derives from DEMO_DEVICE_KEY_SEED. */
async function demoFleet(): Promise<{ drones: SimDrone[]; automats: SimAutomat[] }> {
  const drones: SimDrone[] = [];
  for (const d of SEED_DRONES.slice(0, o.drones)) {
    const key = deriveDemoDeviceKey(e.DEMO_DEVICE_KEY_SEED, 'drone', d.ipAddress);
    const id = await whoAmI(key);
    if (id) drones.push({ id, key, label: d.ipAddress, battery: d.batteryLevel });
    else log.warn('Skipping a drone whose demo key is not valid (rotated, or not seeded)', { drone: d.ipAddress });
  }
  const automats: SimAutomat[] = [];
  for (const a of SEED_AUTOMATS) {
    const key = deriveDemoDeviceKey(e.DEMO_DEVICE_KEY_SEED, 'automat', String(a.arucoId));
    const id = await whoAmI(key);
    if (id) automats.push({ id, key, label: a.address, isWorking: a.isWorking });
    else log.warn('Skipping a locker whose demo key is not valid (rotated, or not seeded)', { automat: a.address });
  }
  return { drones, automats };
}

let fleet: { drones: SimDrone[]; automats: SimAutomat[] };
try {
  fleet = o.fleet ? await fleetFromFile(o.fleet) : await demoFleet();
} catch (err) {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const { drones, automats } = fleet;
if (drones.length === 0) {
  log.error(
    o.fleet
      ? `No drone in ${o.fleet} could authenticate; nothing to simulate.`
      : 'No drone could authenticate with the demo keys; nothing to simulate.',
  );
  process.exit(1);
}

simulator = new Simulator({
  baseUrl: o.url,
  drones,
  automats,
  base: DEMO_BASE,
  speedMps: o.speed,
  speedup: o.speedup,
  failureRate: o['failure-rate'],
  transferDelayS: 4,
  log,
});
simulator.start();
